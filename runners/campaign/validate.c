/*
 * validate: the campaign file and platform definitions checked whole
 * before anything runs (see validate.h). The keys each object may have are
 * tables below; a value's line comes from jsonpos.
 */
#define _GNU_SOURCE		/* vasprintf */
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "image.h"
#include "jsonpos.h"
#include "platform.h"
#include "strbuf.h"
#include "suggest.h"
#include "vbench.h"
#include "vctx.h"
#include "verrs.h"
#include "xalloc.h"

#define MAX_REPETITIONS 100000
#define MAX_RUNS 1000000
/* Far above any real campaign (the shipped ones are a few KiB): a bound,
 * so that a mistaken path cannot make campaign read without end. */
#define MAX_FILE_BYTES ((off_t)64 << 20)
/* Bounds on a campaign's size: a file of a million benchmarks took hours
 * to check (one 'bench --check' each), and a plan of 10^8 units would
 * need gigabytes before the first one runs. A million units is weeks of
 * running at any realistic unit time. */
#define MAX_BENCHMARKS 1000
#define MAX_UNITS 1000000

static const char **set_names(const struct platform_set *set)
{
	const char **names = xcalloc(set->n + 1, sizeof(*names));
	size_t i;

	for (i = 0; i < set->n; i++)
		names[i] = set->items[i].name;
	return names;
}

/* "(did you mean 'x'?; 'campaign platforms' lists them)". Caller frees. */
static char *platform_hint(const struct platform_set *set, const char *name)
{
	const char **names = set_names(set);
	const char *near = suggest_nearest(name, names, set->n);
	char *hint;

	hint = near ? xasprintf("did you mean '%s'? 'campaign platforms' "
				"lists them", near) :
	       xstrdup("'campaign platforms' lists them");
	free(names);
	return hint;
}

static void add_name(char ***names, size_t *n, const char *name)
{
	if (vctx_has_name(*names, *n, name))
		return;
	*names = xreallocarray(*names, *n + 2, sizeof(**names));
	(*names)[(*n)++] = xstrdup(name);
	(*names)[*n] = NULL;
}

static void check_platform_list(struct vctx *v, json_t *list)
{
	json_t *p;
	size_t i, j;
	char path[64], *hint;
	const char *name;

	if (vctx_check_type(v, list, ".platforms", "platforms", JSON_ARRAY,
		       "an array of platform names"))
		return;
	if (!json_array_size(list) && !v->in->only_platforms)
		vctx_finding(v, ".platforms", "'platforms' is empty: name at least "
			"one platform ('campaign platforms' lists them)");
	json_array_foreach(list, i, p) {
		snprintf(path, sizeof(path), ".platforms[%zu]", i);
		if (json_is_string(p) && !json_string_value(p)[0]) {
			vctx_finding(v, path, "'platforms' item %zu is an empty "
				     "name ('campaign platforms' lists the "
				     "names)", i + 1);
			continue;
		}
		if (vctx_check_text(v, p, path, "platforms", 0))
			continue;
		name = json_string_value(p);
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(list, j), p))
				break;
		if (j < i) {
			char first[64];

			snprintf(first, sizeof(first), ".platforms[%zu]", j);
			if (vctx_line(v, first) == vctx_line(v, path))
				vctx_finding(v, path, "platform '%s' is listed "
					     "twice (items %zu and %zu): each "
					     "unit would run twice under one "
					     "key", name, j + 1, i + 1);
			else
				vctx_finding(v, path, "platform '%s' is listed "
					     "twice (first on line %ld): each "
					     "unit would run twice under one "
					     "key", name, vctx_line(v, first));
			continue;
		}
		if (!platform_find((struct platform_set *)v->in->set, name)) {
			hint = platform_hint(v->in->set, name);
			vctx_finding(v, path, "unknown platform '%s' (%s)", name,
				hint);
			free(hint);
			continue;
		}
		add_name(&v->plats, &v->n_plats, name);
		if (!v->in->only_platforms)
			add_name(&v->selected, &v->n_selected, name);
	}
}

/* --platforms: every name known, none empty, none twice. */
static void check_only(struct vctx *v)
{
	char *copy, *name, *save = NULL, *hint;
	const char *s = v->in->only_platforms;

	if (!s)
		return;
	if (!s[0] || s[0] == ',' || s[strlen(s) - 1] == ',' ||
	    strstr(s, ",,"))
		verrs_add(v->errs, -1, "--platforms '%s' has an empty name "
			  "(a comma-separated list, e.g. native,qemu-tcg)", s);
	copy = xstrdup(s);
	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		if (vctx_has_name(v->selected, v->n_selected, name)) {
			verrs_add(v->errs, -1, "--platforms names '%s' twice",
				  name);
		} else if (!platform_find((struct platform_set *)v->in->set,
					  name)) {
			hint = platform_hint(v->in->set, name);
			verrs_add(v->errs, -1, "--platforms: unknown platform "
				  "'%s' (%s)", name, hint);
			free(hint);
		} else {
			add_name(&v->selected, &v->n_selected, name);
			add_name(&v->plats, &v->n_plats, name);
		}
	}
	free(copy);
}

/* ---- keys ------------------------------------------------------------ */

static const char *const top_keys[] = {
	"name", "description", "repetitions", "timeout_s", "platforms",
	"benchmarks", "slurm", NULL
};

static const char *const slurm_keys[] = {
	"partition", "time", "account", "constraint", "qos", "tasks",
	"sbatch", "shared_dir", NULL
};

static const char *const bench_keys[] = {
	"name", "description", "args", "platform_args", "config",
	"platform_config", "memory", "platform_memory", "runs", "host",
	"serve", "with", "keep_mem", NULL
};

/* ---- benchmarks ------------------------------------------------------ */

/* An object keyed by platform (platform_args, platform_config,
 * platform_memory): each key one of the campaign's platforms. */
static void check_per_platform(struct vctx *v, json_t *b, const char *bpath,
			       const char *key)
{
	json_t *obj = json_object_get(b, key), *val;
	const char *plat, *near;
	char *path, *sub;
	struct strbuf list = { 0 };
	size_t i;

	if (!obj)
		return;
	path = xasprintf("%s.%s", bpath, key);
	if (vctx_check_type(v, obj, path, key, JSON_OBJECT, "an object keyed by "
		       "platform")) {
		free(path);
		return;
	}
	for (i = 0; i < v->n_plats; i++) {
		strbuf_addstr(&list, i ? ", " : "");
		strbuf_addstr(&list, v->plats[i]);
	}
	json_object_foreach(obj, plat, val) {
		sub = xasprintf("%s.%s", path, plat);
		if (!vctx_has_name(v->plats, v->n_plats, plat)) {
			near = suggest_nearest(plat, (const char **)v->plats,
					       v->n_plats);
			vctx_finding(v, sub, "'%s' names platform '%s', which the "
				"campaign does not run (%s%s%s%s)", key, plat,
				near ? "did you mean '" : "its platforms: ",
				near ? near : list.buf ? list.buf : "none",
				near ? "'" : "", near ? "?" : "");
		} else if (!strcmp(key, "platform_args")) {
			vctx_check_strings(v, val, sub, key);
		} else if (!strcmp(key, "platform_config")) {
			vctx_check_text(v, val, sub, key, 1);
		} else {
			vctx_check_memory(v, val, sub, key);
		}
		free(sub);
	}
	strbuf_release(&list);
	free(path);
}

/* Options the launcher gives bench itself: an args item setting one
 * would be overridden or would break the unit. */
static void check_owned(struct vctx *v, json_t *args, const char *path)
{
	static const char *const owned[][2] = {
		{ "--runs", "set \"runs\" instead" },
		{ "--platform", "the launcher sets it to the platform's name" },
		{ "--config", "set \"config\" or \"platform_config\"" },
		{ "-o", "the launcher collects the rows itself" },
		{ "--output", "the launcher collects the rows itself" },
		{ NULL, NULL }
	};
	const char *w;
	json_t *item;
	char *sub;
	size_t i, k;

	json_array_foreach(args, i, item) {
		w = json_string_value(item);
		if (!w || !strcmp(w, "--"))
			break;
		for (k = 0; owned[k][0] && strcmp(owned[k][0], w); k++)
			;
		if (!owned[k][0])
			continue;
		sub = xasprintf("%s[%zu]", path, i);
		vctx_finding(v, sub, "'args' item %zu is '%s', which the "
			     "launcher passes to bench itself: %s", i + 1, w,
			     owned[k][1]);
		free(sub);
	}
}

static void check_bench_fields(struct vctx *v, json_t *b, const char *bpath)
{
	static const struct { const char *key; int kind; } fields[] = {
		{ "description", 0 }, { "args", 1 }, { "config", 2 },
		{ "memory", 3 }, { "runs", 4 }, { "host", 5 }, { "serve", 6 },
		{ "with", 1 }, { "keep_mem", 5 }, { NULL, 0 }
	};
	json_t *val;
	char *path;
	size_t i;

	for (i = 0; fields[i].key; i++) {
		if (!(val = json_object_get(b, fields[i].key)))
			continue;
		path = xasprintf("%s.%s", bpath, fields[i].key);
		switch (fields[i].kind) {
		case 0: vctx_check_type(v, val, path, fields[i].key, JSON_STRING,
				   "a string"); break;
		case 1:
			if (!vctx_check_strings(v, val, path, fields[i].key) &&
			    !strcmp(fields[i].key, "args"))
				check_owned(v, val, path);
			break;
		case 2: vctx_check_text(v, val, path, fields[i].key, 1); break;
		case 3: vctx_check_memory(v, val, path, fields[i].key); break;
		case 4: vctx_check_int(v, val, path, fields[i].key, 1, MAX_RUNS);
			break;
		case 5: vctx_check_type(v, val, path, fields[i].key, JSON_TRUE,
				   "true or false"); break;
		default: vctx_check_text(v, val, path, fields[i].key, 0); break;
		}
		free(path);
	}
	check_per_platform(v, b, bpath, "platform_args");
	check_per_platform(v, b, bpath, "platform_config");
	check_per_platform(v, b, bpath, "platform_memory");
}

/* A served benchmark's server definition exists. */
static void check_serve(struct vctx *v, json_t *b, const char *bpath)
{
	json_t *s = json_object_get(b, "serve");
	char *file, *path;

	if (!json_is_string(s) || !json_string_value(s)[0])
		return;
	file = xasprintf("%s/%s.json", v->in->servers_dir,
			 json_string_value(s));
	if (access(file, R_OK) != 0) {
		path = xasprintf("%s.serve", bpath);
		vctx_finding(v, path, "no server '%s': %s does not exist (servers "
			"are runners/servers/NAME.json)", json_string_value(s),
			file);
		free(path);
	}
	free(file);
}

/* Keys that only a platform definition has. */
static const char *const platform_only_keys[] = {
	"kind", "accel", "kvm_device", "kernel", "append", "cpu_max",
	"memory_max", "config_file", "command", "requires", "net", "install",
	NULL
};

static int in_keys(const char *const *keys, const char *key)
{
	for (; *keys; keys++)
		if (!strcmp(*keys, key))
			return 1;
	return 0;
}

/* The unknown keys of obj, as vctx_check_keys finds them, except that a
 * key of another object of the file ("args" at the top, "repetitions" in
 * a benchmark) is said to belong there. */
static void check_keys_placed(struct vctx *v, json_t *obj, const char *path,
			      const char *const *known, const char *what)
{
	static const struct {
		const char *const *keys;
		const char *where;
	} places[] = {
		{ top_keys, "the campaign (the top level)" },
		{ bench_keys, "a benchmark (an object of 'benchmarks')" },
		{ slurm_keys, "'slurm'" },
		{ platform_only_keys, "a platform definition "
		  "(runners/platforms/NAME.json)" },
	};
	json_t *rest = json_copy(obj), *val;
	const char *key;
	size_t i;
	char *sub;

	json_object_foreach(obj, key, val) {
		if (in_keys(known, key))
			continue;
		for (i = 0; i < sizeof(places) / sizeof(places[0]); i++)
			if (places[i].keys != known &&
			    in_keys(places[i].keys, key))
				break;
		if (i == sizeof(places) / sizeof(places[0]))
			continue;
		sub = xasprintf("%s.%s", path, key);
		vctx_finding(v, sub, "key '%s' belongs in %s, not in %s", key,
			     places[i].where, what);
		free(sub);
		json_object_del(rest, key);
	}
	vctx_check_keys(v, rest, path, known, what);
	json_decref(rest);
}

static void check_benchmarks(struct vctx *v, json_t *list)
{
	json_t *b, *name;
	size_t i, before;
	char *path, *sub;

	if (vctx_check_type(v, list, ".benchmarks", "benchmarks", JSON_ARRAY,
		       "an array of benchmark objects"))
		return;
	if (!json_array_size(list))
		vctx_finding(v, ".benchmarks", "'benchmarks' is empty: name at "
			"least one ('bench --help' lists them)");
	if (json_array_size(list) > MAX_BENCHMARKS) {
		vctx_finding(v, ".benchmarks", "'benchmarks' has %zu items: a "
			     "campaign has at most %d (split it into several "
			     "campaigns)", json_array_size(list),
			     MAX_BENCHMARKS);
		return;
	}
	v->bad_bench = xcalloc(json_array_size(list) + 1, 1);
	json_array_foreach(list, i, b) {
		before = v->errs->n;
		path = xasprintf(".benchmarks[%zu]", i);
		if (vctx_check_type(v, b, path, "benchmarks", JSON_OBJECT,
			       "an array of objects")) {
			v->bad_bench[i] = 1;
			free(path);
			continue;
		}
		check_keys_placed(v, b, path, bench_keys, "a benchmark");
		name = json_object_get(b, "name");
		sub = xasprintf("%s.name", path);
		if (!name)
			vctx_finding(v, path, "benchmark %zu has no 'name' (a bench "
				"command, e.g. \"linpack\")", i + 1);
		else
			vctx_check_text(v, name, sub, "name", 0);
		free(sub);
		check_bench_fields(v, b, path);
		check_serve(v, b, path);
		v->bad_bench[i] = v->errs->n != before;
		free(path);
	}
}

/* ---- the whole file -------------------------------------------------- */

const char *validate_sbatch_arg(const char *word)
{
	static const char *const node = "each task has its node to itself "
		"(--exclusive), so that two benchmarks never share a machine";
	static const struct {
		const char *name;	/* long option */
		char short_name;	/* 0: none */
		int is_flag;		/* takes no value */
		const char *why;
	} owned[] = {
		{ "--array", 'a', 0, "the array has one task per slice (set "
		  "\"tasks\" or --tasks)" },
		{ "--output", 'o', 0, "each task's log goes to logs/ in the "
		  "shared directory" },
		{ "--nodes", 'N', 0, "each task runs on one node (--nodes=1 "
		  "--ntasks=1)" },
		{ "--ntasks", 'n', 0, "each task runs on one node (--nodes=1 "
		  "--ntasks=1)" },
		{ "--oversubscribe", 's', 1, NULL },
		{ "--share", 0, 1, NULL },
		{ "--exclusive=", 0, 0, NULL },
		{ "--wait", 'W', 1, "use 'campaign submit --wait'" },
		{ "--partition", 'p', 0, "set \"partition\" (or --partition) "
		  "instead" },
		{ "--time", 't', 0, "set \"time\" (or --time) instead" },
		{ "--account", 'A', 0, "set \"account\" (or --account) "
		  "instead" },
		{ "--constraint", 'C', 0, "set \"constraint\" (or "
		  "--constraint) instead" },
		{ "--qos", 'q', 0, "set \"qos\" (or --qos) instead" },
	};
	size_t i, len;

	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		len = strlen(owned[i].name);
		if (!strncmp(word, owned[i].name, len) &&
		    (!word[len] || word[len] == '=' ||
		     owned[i].name[len - 1] == '='))
			return owned[i].why ? owned[i].why : node;
		/* -X, or -XVALUE for an option with a value */
		if (owned[i].short_name && word[0] == '-' &&
		    word[1] == owned[i].short_name &&
		    (!word[2] || (!owned[i].is_flag && word[2] != '-')))
			return owned[i].why ? owned[i].why : node;
	}
	return NULL;
}

static void check_slurm(struct vctx *v, json_t *s)
{
	static const char *const strings[] = { "partition", "time", "account",
		"constraint", "qos", "shared_dir", NULL };
	const char *const *k;
	json_t *val;
	char *path;

	if (!s || vctx_check_type(v, s, ".slurm", "slurm", JSON_OBJECT,
			     "an object (sbatch settings)"))
		return;
	check_keys_placed(v, s, ".slurm", slurm_keys, "'slurm'");
	for (k = strings; *k; k++)
		if ((val = json_object_get(s, *k))) {
			path = xasprintf(".slurm.%s", *k);
			vctx_check_text(v, val, path, *k, 0);
			free(path);
		}
	if ((val = json_object_get(s, "tasks")))
		vctx_check_int(v, val, ".slurm.tasks", "tasks", 1, MAX_REPETITIONS);
	if ((val = json_object_get(s, "sbatch")) &&
	    !vctx_check_strings(v, val, ".slurm.sbatch", "sbatch")) {
		json_t *w;
		const char *why;
		size_t i;

		json_array_foreach(val, i, w) {
			if (!(why = validate_sbatch_arg(json_string_value(w))))
				continue;
			path = xasprintf(".slurm.sbatch[%zu]", i);
			vctx_finding(v, path, "'sbatch' item %zu is '%s', which "
				     "campaign submit sets itself: %s", i + 1,
				     json_string_value(w), why);
			free(path);
		}
	}
}

/* The number of units, once repetitions, benchmarks and platforms are
 * known to be right. */
static void check_units(struct vctx *v)
{
	json_t *reps = json_object_get(v->root, "repetitions");
	size_t n_bench = json_array_size(json_object_get(v->root,
							 "benchmarks"));
	long long n_reps = json_is_integer(reps) ? json_integer_value(reps) : 1;
	long long units;

	if (v->errs->n || !n_bench || !v->n_selected)
		return;
	units = n_reps * (long long)n_bench * (long long)v->n_selected;
	if (units > MAX_UNITS)
		vctx_finding(v, reps ? ".repetitions" : ".benchmarks",
			     "%lld repetition%s x %zu benchmark%s x %zu "
			     "platform%s = %lld units: a campaign has at most "
			     "%d (fewer repetitions, or several campaigns)",
			     n_reps, n_reps == 1 ? "" : "s", n_bench,
			     n_bench == 1 ? "" : "s", v->n_selected,
			     v->n_selected == 1 ? "" : "s", units, MAX_UNITS);
}

static void check_top(struct vctx *v)
{
	json_t *r = v->root, *val;

	check_keys_placed(v, r, "", top_keys, "the campaign");
	if ((val = json_object_get(r, "name")))
		vctx_check_text(v, val, ".name", "name", 0);
	if ((val = json_object_get(r, "description")))
		vctx_check_type(v, val, ".description", "description", JSON_STRING,
			   "a string");
	if ((val = json_object_get(r, "repetitions")))
		vctx_check_int(v, val, ".repetitions", "repetitions", 1,
			  MAX_REPETITIONS);
	if ((val = json_object_get(r, "timeout_s")))
		vctx_check_seconds(v, val, ".timeout_s", "timeout_s");
	if (!(val = json_object_get(r, "platforms")) &&
	    !v->in->only_platforms)
		vctx_finding(v, "", "no 'platforms' (an array of platform names, "
			"e.g. [\"native\"])");
	else if (val)
		check_platform_list(v, val);
	if (!(val = json_object_get(r, "benchmarks")))
		vctx_finding(v, "", "no 'benchmarks' (an array of objects, e.g. "
			"[{\"name\": \"linpack\"}])");
	else
		check_benchmarks(v, val);
	check_slurm(v, json_object_get(r, "slurm"));
	check_units(v);
}

static int parse(struct vctx *v, char *text, size_t len)
{
	json_error_t je;

	/* A UTF-8 byte order mark, which editors on some systems write:
	 * RFC 8259 lets a parser ignore it, and it changes no line. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}

	v->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!v->root) {
		long line;
		char *msg = jsonpos_syntax(text, len, &je, "a campaign file",
					   &line);

		verrs_add(v->errs, line, "%s", msg);
		free(msg);
		return -1;
	}
	if (!json_is_object(v->root)) {
		verrs_add(v->errs, 1, "a campaign is a JSON object ({...}), "
			  "not %s", vctx_type_name(v->root));
		return -1;
	}
	jsonpos_scan(text, len, &v->pos);
	return 0;
}

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a file";
}

/* The campaign file's text, NUL-terminated, or NULL with a finding. Only
 * a regular file of at most MAX_FILE_BYTES: a FIFO would block until a
 * writer comes (forever, for a mistaken path), a device such as /dev/zero
 * never ends, and 'campaign submit' copies the file once more. O_NONBLOCK
 * lets the open of a FIFO return so that it can be refused. */
static char *read_campaign(const char *file, size_t *len, struct verrs *errs)
{
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	size_t got = 0;
	struct stat st;
	char *text;
	ssize_t n;

	if (fd < 0) {
		verrs_add(errs, 0, "cannot open it: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		verrs_add(errs, 0, "cannot read it: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		verrs_add(errs, 0, "not a regular file but %s: write the "
			  "campaign to a file and give that",
			  file_kind(st.st_mode));
		close(fd);
		return NULL;
	}
	if (st.st_size > MAX_FILE_BYTES) {
		verrs_add(errs, 0, "%lld bytes: a campaign file is at most "
			  "%lld bytes (%lld MiB)", (long long)st.st_size,
			  (long long)MAX_FILE_BYTES,
			  (long long)(MAX_FILE_BYTES >> 20));
		close(fd);
		return NULL;
	}
	/* One byte more than fstat said, to see a file that grew. */
	text = xmalloc((size_t)st.st_size + 2);
	while (got <= (size_t)st.st_size) {
		n = read(fd, text + got, (size_t)st.st_size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			verrs_add(errs, 0, "cannot read it: %s",
				  strerror(errno));
			free(text);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got > (size_t)st.st_size) {
		verrs_add(errs, 0, "it changed while it was read: give a file "
			  "that no program is writing");
		free(text);
		return NULL;
	}
	text[got] = '\0';
	*len = got;
	return text;
}

json_t *validate_load(const char *file, struct verrs *errs)
{
	struct vctx v;
	size_t len = 0;
	char *text;

	memset(&v, 0, sizeof(v));
	v.errs = errs;
	if (!(text = read_campaign(file, &len, errs)))
		return NULL;
	if (parse(&v, text, len) != 0) {
		json_decref(v.root);
		v.root = NULL;
	}
	jsonpos_release(&v.pos);
	free(text);
	return v.root;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int validate_campaign(const struct vinput *in, json_t **json,
		      struct verrs *errs)
{
	struct vctx v;
	size_t len = 0;
	char *text;
	int rc = -1;

	memset(&v, 0, sizeof(v));
	memset(errs, 0, sizeof(*errs));
	v.in = in;
	v.errs = errs;
	errs->file = in->file;
	*json = NULL;
	if (!(text = read_campaign(in->file, &len, errs)))
		return -1;
	if (parse(&v, text, len) == 0) {
		check_only(&v);
		check_top(&v);
		if (v.bad_bench)
			vbench_check(&v);
	}
	if (!errs->n) {
		*json = json_incref(v.root);
		rc = 0;
	}
	json_decref(v.root);
	jsonpos_release(&v.pos);
	free_names(v.plats, v.n_plats);
	free_names(v.selected, v.n_selected);
	free(v.bad_bench);
	free(text);
	return rc;
}

char **validate_selection(json_t *json, const char *only, size_t *n)
{
	char **names = NULL, *copy, *name, *save = NULL;
	json_t *p;
	size_t i;

	*n = 0;
	if (only) {
		copy = xstrdup(only);
		for (name = strtok_r(copy, ",", &save); name;
		     name = strtok_r(NULL, ",", &save))
			add_name(&names, n, name);
		free(copy);
		return names;
	}
	json_array_foreach(json_object_get(json, "platforms"), i, p)
		if (json_is_string(p))
			add_name(&names, n, json_string_value(p));
	return names;
}

