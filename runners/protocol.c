/*
 * protocol: the job encoding of bench guest (see protocol.h).
 */
#include "protocol.h"

#include <stdio.h>
#include <string.h>

#include "strbuf.h"

static int is_plain(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || (ch && strchr("._/:=+-", ch));
}

char *proto_job_encode(char *const *words, int n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	int i;

	if (n == 0)
		strbuf_addstr(&sb, "none");
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_add(&sb, ",", 1);
		for (p = words[i]; *p; p++) {
			if (is_plain((unsigned char)*p))
				strbuf_add(&sb, p, 1);
			else
				strbuf_addf(&sb, "%%%02X", (unsigned char)*p);
		}
	}
	return strbuf_detach(&sb);
}

static int hex_value(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int proto_job_decode(struct proto_job *job, const char *text,
		     struct diag *err)
{
	size_t at = 0;
	int hi, lo;

	job->argc = 0;
	job->argv[job->argc++] = "bench";
	job->argv[job->argc] = job->words;
	for (; *text && *text != ' ' && *text != '\n'; text++) {
		if (at + 2 >= sizeof(job->words)) {
			diag_set(err, NULL, 0, "job longer than %zu bytes",
				 sizeof(job->words));
			return STATUS_BADINPUT;
		}
		if (*text == ',') {
			job->words[at++] = '\0';
			if (job->argc >= PROTO_MAX_WORDS) {
				diag_set(err, NULL, 0, "more than %d words in "
					 "the job", PROTO_MAX_WORDS);
				return STATUS_BADINPUT;
			}
			job->argv[++job->argc] = job->words + at;
			continue;
		}
		if (*text == '%') {
			hi = hex_value(text[1]);
			lo = hi < 0 ? -1 : hex_value(text[2]);
			if (lo < 0) {
				diag_set(err, NULL, 0, "bad escape '%.3s' in "
					 "the job", text);
				return STATUS_BADINPUT;
			}
			job->words[at++] = (char)(hi * 16 + lo);
			text += 2;
			continue;
		}
		job->words[at++] = *text;
	}
	job->words[at] = '\0';
	job->argc++;
	job->argv[job->argc] = NULL;
	if (job->argc == 2 && (!strcmp(job->argv[1], "none") ||
			       !job->argv[1][0]))
		job->argc = 1;
	return 0;
}
