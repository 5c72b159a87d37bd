/*
 * plot_sc: writing a figure script into memory (struct script): printf
 * with a sticky error, and the one way text of any kind (data, a path)
 * enters the script, as a gnuplot string literal that can only be text.
 * Used by plot_build.c, plot_frame.c and plot.c; calls nothing of them.
 */
#include "plot_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void plot_sc_printf(struct script *sc, const char *fmt, ...)
{
	va_list ap;

	if (sc->status)
		return;
	va_start(ap, fmt);
	if (vfprintf(sc->f, fmt, ap) < 0) {
		sc->status = STATUS_RUNTIME;
		diag_set(sc->err, NULL, 0, "cannot build a figure: %s",
			 strerror(errno));
	}
	va_end(ap);
}

/* Any text, a path included: see plot_sc_text. */
void plot_sc_quoted(struct script *sc, const char *val)
{
	plot_sc_text(sc, val);
}

/*
 * s as a double-quoted gnuplot string literal in which every byte that
 * means something to gnuplot is an octal escape: the quotes, the
 * backslash, the backquote (a shell command), '@' (a macro), '$' (a
 * column or datablock), and every control character. gnuplot expands
 * backquotes and macros in the raw line before it parses strings, so
 * they must not appear as such anywhere; single-quoted strings cannot
 * carry every text either (5.4 reads '''b' as '' then 'b'). The escape
 * is \0ooo, four digits: gnuplot reads "\0472" as one escape, so
 * "\047" followed by "2" would not be a quote and a 2.
 */
void plot_sc_text(struct script *sc, const char *s)
{
	const unsigned char *p;

	plot_sc_printf(sc, "\"");
	for (p = (const unsigned char *)s; *p && !sc->status; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p >= 0x80 ||
		    strchr(" .,:;-_+=/()[]{}<>!?%&*#~|^", *p))
			plot_sc_printf(sc, "%c", *p);
		else
			plot_sc_printf(sc, "\\%04o", *p);
	}
	plot_sc_printf(sc, "\"");
}
