/*
 * vplatform: a platform definition checked whole (see vplatform.h).
 */
#include "vplatform.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"
#include "jsonpos.h"
#include "platform.h"
#include "vctx.h"
#include "verrs.h"

static const char *const platform_keys[] = {
	"name", "kind", "description", "accel", "kvm_device", "kernel",
	"append", "memory", "cpu_max", "memory_max", "config_file", "command",
	"requires", "net", "timeout_s", "install", NULL
};

static int one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static void check_platform_def(struct vctx *v, json_t *def)
{
	static const char *const kinds[] = { "exec", "namespaces", "oci",
		"vm", NULL };
	static const char *const accels[] = { "kvm", "tcg", "none", NULL };
	static const char *const strings[] = { "name", "kind", "description",
		"accel", "kvm_device", "kernel", "append", "memory", "cpu_max",
		"memory_max", "config_file", "install", NULL };
	static const char *const arrays[] = { "command", "requires", "net",
		NULL };
	const char *const *k;
	const char *kind, *accel;
	json_t *val;
	char path[64];

	vctx_check_keys(v, def, "", platform_keys, "a platform definition");
	for (k = strings; *k; k++)
		if ((val = json_object_get(def, *k))) {
			snprintf(path, sizeof(path), ".%s", *k);
			vctx_check_type(v, val, path, *k, JSON_STRING, "a string");
		}
	for (k = arrays; *k; k++)
		if ((val = json_object_get(def, *k))) {
			snprintf(path, sizeof(path), ".%s", *k);
			vctx_check_strings(v, val, path, *k);
		}
	if ((val = json_object_get(def, "timeout_s")))
		vctx_check_seconds(v, val, ".timeout_s", "timeout_s");
	if ((val = json_object_get(def, "name")) && json_is_string(val))
		vctx_check_text(v, val, ".name", "name", 0);
	kind = json_string_value(json_object_get(def, "kind"));
	accel = json_string_value(json_object_get(def, "accel"));
	if (kind && !one_of(kind, kinds))
		vctx_finding(v, ".kind", "'kind' is '%s': it must be exec, "
			     "namespaces, oci or vm", kind);
	if (accel && !one_of(accel, accels))
		vctx_finding(v, ".accel", "'accel' is '%s': it must be kvm, "
			     "tcg or none", accel);
	/* Only a VM has an accelerator; exec, namespaces and oci run on the
	 * host's CPU, and a claim of KVM there would label rows "kvm" that
	 * no hypervisor ran (they ran as accel=none). */
	if (kind && accel && one_of(kind, kinds) && one_of(accel, accels) &&
	    strcmp(kind, "vm") && strcmp(accel, "none"))
		vctx_finding(v, ".accel", "'accel' is '%s', but a platform of "
			     "kind '%s' runs no VM and has no accelerator: set "
			     "\"accel\": \"none\" (or \"kind\": \"vm\" "
			     "with a VMM command)", accel, kind);
}

int vplatform_check(const char *file, const char *text, size_t len,
		    json_t *def, struct diag *err)
{
	struct verrs errs = { 0 };
	struct vctx v;
	size_t i, first = 0;
	int rc;

	memset(&v, 0, sizeof(v));
	v.errs = &errs;
	v.root = def;
	errs.file = file;
	jsonpos_scan(text, len, &v.pos);
	check_platform_def(&v, def);
	rc = errs.n ? -1 : 0;
	for (i = 1; i < errs.n; i++)
		if (errs.items[i].line < errs.items[first].line)
			first = i;
	if (errs.n)
		diag_set(err, NULL, 0, "%s:%ld: %s", file,
			 errs.items[first].line, errs.items[first].msg);
	jsonpos_release(&v.pos);
	verrs_release(&errs);
	return rc;
}
