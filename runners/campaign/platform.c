/*
 * platform: the platform definitions (runners/platforms/NAME.json, read with
 * jansson) and whether each can run on this machine. A user adds a
 * platform by adding a file; this module knows only the four kinds
 * (exec, namespaces, oci, vm) and the checks they need.
 */
#define _GNU_SOURCE		/* strverscmp, unshare */
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "container.h"
#include "diag.h"
#include "image.h"
#include "jsonpos.h"
#include "path.h"
#include "util.h"
#include "vplatform.h"
#include "xalloc.h"

/* Where 'make install' puts the definitions (PREFIX=/usr/local). */
#define PLATFORMS_INSTALLED "/usr/local/share/bench-toolkit/platforms"

static const char *str_field(json_t *def, const char *key, const char *dflt)
{
	json_t *v = json_object_get(def, key);

	return json_is_string(v) ? json_string_value(v) : dflt;
}

/* Every field that is present must have the right type. */
static int check_types(json_t *def, struct diag *err)
{
	static const char *const strings[] = {
		"name", "kind", "description", "accel", "kvm_device",
		"kernel", "append", "memory", "cpu_max", "memory_max",
		"config_file", NULL
	};
	static const char *const arrays[] = { "command", "requires", "net",
					      NULL };
	const char *const *k;
	json_t *v;
	size_t i;

	for (k = strings; *k; k++)
		if ((v = json_object_get(def, *k)) && !json_is_string(v))
			goto bad_string;
	for (k = arrays; *k; k++) {
		if (!(v = json_object_get(def, *k)))
			continue;
		if (!json_is_array(v))
			goto bad_array;
		for (i = 0; i < json_array_size(v); i++)
			if (!json_is_string(json_array_get(v, i)))
				goto bad_array;
	}
	v = json_object_get(def, "timeout_s");
	if (v && !(json_is_number(v) && json_number_value(v) > 0)) {
		diag_set(err, NULL, 0, "'timeout_s' must be a positive "
			 "number");
		return -1;
	}
	return 0;
bad_string:
	diag_set(err, NULL, 0, "'%s' must be a string", *k);
	return -1;
bad_array:
	diag_set(err, NULL, 0, "'%s' must be an array of strings", *k);
	return -1;
}

static int parse_kind(const char *s, enum platform_kind *kind)
{
	static const char *const names[] = { "exec", "namespaces", "oci",
					     "vm" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s && !strcmp(s, names[i])) {
			*kind = (enum platform_kind)i;
			return 0;
		}
	return -1;
}

static int platform_init(struct platform *p, const char *file, json_t *def,
			 struct diag *err)
{
	json_t *cmd = json_object_get(def, "command");
	json_t *t = json_object_get(def, "timeout_s");
	size_t i;

	memset(p, 0, sizeof(*p));
	if (check_types(def, err))
		return -1;
	if (!str_field(def, "name", NULL)) {
		diag_set(err, NULL, 0, "missing 'name'");
		return -1;
	}
	if (parse_kind(str_field(def, "kind", NULL), &p->kind)) {
		diag_set(err, NULL, 0, "'kind' must be exec, namespaces, oci "
			 "or vm");
		return -1;
	}
	if (p->kind != PLATFORM_NAMESPACES && json_array_size(cmd) == 0) {
		diag_set(err, NULL, 0, "missing 'command' (an array with "
			 "the program first)");
		return -1;
	}
	p->accel = str_field(def, "accel", "none");
	if (strcmp(p->accel, "kvm") && strcmp(p->accel, "tcg") &&
	    strcmp(p->accel, "none")) {
		diag_set(err, NULL, 0, "'accel' must be kvm, tcg or none");
		return -1;
	}
	p->kernel_form = str_field(def, "kernel", "vmlinux");
	if (strcmp(p->kernel_form, "vmlinux") &&
	    strcmp(p->kernel_form, "vmlinuz")) {
		diag_set(err, NULL, 0, "'kernel' must be vmlinux or vmlinuz");
		return -1;
	}
	p->name = xstrdup(str_field(def, "name", NULL));
	p->file = xstrdup(file);
	p->def = json_incref(def);
	p->kvm_device = getenv("BENCH_KVM_DEVICE") ?
			getenv("BENCH_KVM_DEVICE") :
			str_field(def, "kvm_device", "/dev/kvm");
	p->memory = str_field(def, "memory", "256M");
	p->timeout_s = t ? json_number_value(t) : 120;
	for (i = 0; i < json_array_size(cmd); i++)
		if (strstr(json_string_value(json_array_get(cmd, i)),
			   "{qmp}"))
			p->has_qmp = 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted *.json names in dir; caller frees each and the array. */
static char **list_json(const char *dir, size_t *n, struct diag *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t len;

	*n = 0;
	if (!d) {
		diag_set(err, NULL, 0, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d))) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") ||
		    e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (*n + 1) * sizeof(*names));
		names[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), by_name);
	return names;
}

int platform_load_dir(const char *dir, struct platform_set *set,
		      struct diag *err)
{
	struct diag msg;
	char **files, *text;
	json_error_t je;
	json_t *def;
	size_t n, i, len = 0;
	int rc = 0;

	memset(set, 0, sizeof(*set));
	files = list_json(dir, &n, err);
	if (!files)
		return n ? -1 : (err->msg[0] ? -1 : 0);
	set->items = xcalloc(n, sizeof(*set->items));
	for (i = 0; i < n && !rc; i++) {
		text = image_read_file(files[i], &len);
		def = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES,
					&je) : NULL;
		if (!text) {
			diag_set(err, NULL, 0, "%s: %s", files[i],
				 strerror(errno));
			rc = -1;
		} else if (!def) {
			long line;
			char *why = jsonpos_syntax(text, len, &je, "a platform "
						   "definition", &line);

			diag_set(err, NULL, 0, "%s:%ld: %s", files[i], line,
				 why);
			free(why);
			rc = -1;
		} else if (!json_is_object(def)) {
			diag_set(err, NULL, 0, "%s: not a JSON object",
				 files[i]);
			rc = -1;
		} else if (vplatform_check(files[i], text, len, def, err)) {
			rc = -1;
		} else if (platform_init(&set->items[set->n], files[i], def,
					 &msg)) {
			diag_set(err, NULL, 0, "%s: %s", files[i], msg.msg);
			rc = -1;
		} else if (set->n++, platform_find(set,
				set->items[set->n - 1].name) !=
			   &set->items[set->n - 1]) {
			diag_set(err, NULL, 0, "%s: platform '%s' is already "
				 "defined in another file", files[i],
				 set->items[set->n - 1].name);
			rc = -1;
		}
		json_decref(def);
		free(text);
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc;
}

void platform_set_release(struct platform_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->items[i].name);
		free(set->items[i].file);
		json_decref(set->items[i].def);
	}
	free(set->items);
	memset(set, 0, sizeof(*set));
}

struct platform *platform_find(struct platform_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->items[i].name && !strcmp(set->items[i].name, name))
			return &set->items[i];
	return NULL;
}

/* Run a real-mode guest "mov al, 0x42; hlt" in vcpu; 0 when it halts with
 * al = 0x42. Catches a KVM that creates VMs but cannot run them. */
static int kvm_run_tiny(int vm, int kvm, struct diag *why)
{
	static const unsigned char code[] = { 0xb0, 0x42, 0xf4 };
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run = MAP_FAILED;
	void *mem;
	int vcpu = -1, rc = -1;
	long run_size;

	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return -1;
	memcpy(mem, code, sizeof(code));
	memset(&region, 0, sizeof(region));
	region.memory_size = 4096;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0 ||
	    (vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0 ||
	    (run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0)) <= 0 ||
	    (run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, vcpu, 0)) == MAP_FAILED ||
	    ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) {
		diag_set(why, NULL, 0, "KVM vCPU setup failed: %s",
			 strerror(errno));
		goto out;
	}
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 2;	/* bit 1 is reserved and must be set */
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 ||
	    ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ||
	    ioctl(vcpu, KVM_RUN, 0) < 0) {
		diag_set(why, NULL, 0, "KVM_RUN failed: %s", strerror(errno));
		goto out;
	}
	if (run->exit_reason != KVM_EXIT_HLT ||
	    ioctl(vcpu, KVM_GET_REGS, &regs) < 0 || (regs.rax & 0xff) != 0x42) {
		diag_set(why, NULL, 0, "a test guest did not run to HLT "
			 "(exit reason %u)", run->exit_reason);
		goto out;
	}
	rc = 0;
out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)run_size);
	if (vcpu >= 0)
		close(vcpu);
	munmap(mem, 4096);
	return rc;
}

int kvm_probe(const char *device, struct diag *why)
{
	int kvm = open(device, O_RDWR | O_CLOEXEC), vm, api, rc;

	if (kvm < 0 && errno == ENOENT) {
		diag_set(why, NULL, 0, "no %s: this machine offers no KVM "
			 "(load kvm_intel or kvm_amd, enable VT-x/AMD-V in the "
			 "firmware, or nested virtualization on the VM's host); "
			 "run the TCG platforms (qemu-tcg, qemu-microvm-tcg) "
			 "instead", device);
		return -1;
	}
	if (kvm < 0 && (errno == EACCES || errno == EPERM)) {
		diag_set(why, NULL, 0, "cannot open %s: %s (run campaign as "
			 "root or as a member of the device's group, usually "
			 "'kvm')", device, strerror(errno));
		return -1;
	}
	if (kvm < 0) {
		diag_set(why, NULL, 0, "cannot open %s: %s (no hardware "
			 "virtualization here)", device, strerror(errno));
		return -1;
	}
	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		diag_set(why, NULL, 0, "%s: KVM API version %d, expected %d",
			 device, api, KVM_API_VERSION);
		close(kvm);
		return -1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		diag_set(why, NULL, 0, "%s: KVM_CREATE_VM refused: %s",
			 device, strerror(errno));
		close(kvm);
		return -1;
	}
	rc = kvm_run_tiny(vm, kvm, why);
	close(vm);
	close(kvm);
	if (!rc)
		diag_set(why, NULL, 0, "%s: KVM_CREATE_VM and a test vCPU "
			 "work", device);
	return rc;
}

static int check_programs(struct platform *p)
{
	json_t *cmd = json_object_get(p->def, "command");
	json_t *req = json_object_get(p->def, "requires");
	const char *name;
	char *path;
	size_t i, n = json_array_size(req) + (json_array_size(cmd) ? 1 : 0);

	for (i = 0; i < n; i++) {
		name = json_string_value(i < json_array_size(req) ?
					 json_array_get(req, i) :
					 json_array_get(cmd, 0));
		if (name[0] == '{')
			continue;	/* {bench}: the launcher's own */
		path = path_search(name);
		if (!path) {
			const char *how = str_field(p->def, "install", NULL);

			snprintf(p->reason, sizeof(p->reason),
				 "not installed: '%s' not found in PATH%s%s%s",
				 name, how ? " (" : "", how ? how : "",
				 how ? ")" : "");
			return -1;
		}
		free(path);
	}
	return 0;
}

/* Whether "/" is a mount point: not inside a chroot, where the
 * container's mounts cannot be made private (mount(2) on "/" fails with
 * EINVAL) and an OCI runtime's pivot_root(2) fails the same way. */
static int root_is_mount(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], *sp;
	int n, is_root = 0;

	if (!f)
		return 1;	/* no /proc: cannot tell, let the run say */
	while (!is_root && fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ...: the fifth field */
		for (sp = line, n = 0; n < 4 && (sp = strchr(sp, ' ')); n++)
			sp++;
		is_root = sp && !strncmp(sp, "/ ", 2);
	}
	fclose(f);
	return is_root;
}

/* Whether this process may create the container's namespaces: a child
 * tries (root in a container without CAP_SYS_ADMIN may not). 0, or the
 * errno of unshare(2). */
static int namespaces_errno(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			      CLONE_NEWNET | CLONE_NEWPID) ? errno & 0x7f : 0);
	if (pid < 0)
		return errno;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EPERM;
}

static int check_namespaces(struct platform *p)
{
	int e;

	if (geteuid() != 0) {
		snprintf(p->reason, sizeof(p->reason), "needs root "
			 "(CAP_SYS_ADMIN) to create namespaces: run campaign "
			 "as root, or leave this platform out");
		return -1;
	}
	if ((e = namespaces_errno())) {
		snprintf(p->reason, sizeof(p->reason), "namespaces are not "
			 "permitted here (unshare: %s): run campaign as root "
			 "on the host, or in a container allowed to create "
			 "them (CAP_SYS_ADMIN, e.g. docker run --privileged)",
			 strerror(e));
		return -1;
	}
	if (!root_is_mount()) {
		snprintf(p->reason, sizeof(p->reason), "'/' is not a mount "
			 "point (campaign runs inside a chroot?), so a "
			 "container cannot keep its mounts private and "
			 "pivot_root(2) is refused: enter the root with a "
			 "mount namespace and pivot_root instead (unshare "
			 "--mount; mount --rbind ROOT ROOT; pivot_root), or "
			 "run campaign outside it");
		return -1;
	}
	return 0;
}

/* why as p's reason, cut to its size as every reason is. */
static void set_reason(struct platform *p, const struct diag *why)
{
	snprintf(p->reason, sizeof(p->reason), "%.*s",
		 (int)sizeof(p->reason) - 1, why->msg);
}

static int check_container(struct platform *p)
{
	const char *cpu = str_field(p->def, "cpu_max", NULL);
	const char *mem = str_field(p->def, "memory_max", NULL);
	struct diag why;
	char *dir = NULL;

	if (check_namespaces(p))
		return -1;
	if (p->kind == PLATFORM_NAMESPACES && (cpu || mem)) {
		if (container_cgroup(NULL, cpu, mem, &dir, &why)) {
			set_reason(p, &why);
			return -1;
		}
		free(dir);
	}
	return 0;
}

void platform_check(struct platform *p, const char *kernel,
		    const char *kernel_reason)
{
	struct diag why;

	p->is_available = 0;
	p->reason[0] = '\0';
	if (check_programs(p))
		return;
	if ((p->kind == PLATFORM_NAMESPACES || p->kind == PLATFORM_OCI) &&
	    check_container(p))
		return;
	if (p->kind == PLATFORM_VM && !kernel) {
		snprintf(p->reason, sizeof(p->reason), "no kernel: %s",
			 kernel_reason);
		return;
	}
	if (!strcmp(p->accel, "kvm")) {
		/* Its answer either way: what failed, or what works. */
		int rc = kvm_probe(p->kvm_device, &why);

		set_reason(p, &why);
		if (rc)
			return;
	}
	p->is_available = 1;
	if (!p->reason[0])
		snprintf(p->reason, sizeof(p->reason), "%s",
			 p->kind == PLATFORM_VM ? "TCG needs no device" :
			 "ok");
}

char *platform_default_dir(const char *argv0)
{
	const char *env = getenv("BENCH_PLATFORMS");
	char *bench, *dir;

	if (env)
		return xstrdup(env);
	bench = find_bench(argv0);
	if (!bench || !strchr(bench, '/')) {
		free(bench);
		return xstrdup(PLATFORMS_INSTALLED);
	}
	/* bench is <top>/bin/bench when run from a checkout, and
	 * PREFIX/bin/bench when installed with any PREFIX. */
	dir = xasprintf("%.*s/../runners/platforms",
			(int)(strrchr(bench, '/') - bench), bench);
	if (access(dir, R_OK) != 0) {
		free(dir);
		dir = xasprintf("%.*s/../share/bench-toolkit/platforms",
				(int)(strrchr(bench, '/') - bench), bench);
	}
	free(bench);
	if (access(dir, R_OK) == 0)
		return dir;
	free(dir);
	return xstrdup(PLATFORMS_INSTALLED);
}
