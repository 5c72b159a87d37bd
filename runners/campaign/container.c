/*
 * container: bench in new mount, PID, UTS, IPC and network namespaces,
 * chrooted into a minimal root directory (image_rootfs), with optional
 * cgroup v2 cpu.max / memory.max limits; and the config.json of an OCI
 * bundle for runc-like runtimes. No daemon. The namespace's PID 1 is
 * bench guest, which exits normally (reboot(2) there would only end the
 * namespace, docs/platforms.md).
 */
#define _GNU_SOURCE		/* unshare, CLONE_NEW*, sethostname */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "diag.h"
#include "xalloc.h"

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text);
	int rc;

	if (fd < 0)
		return -1;
	rc = write(fd, text, (size_t)len) == len ? 0 : -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/* Wait for the namespace's PID 1 and leave with its status. */
static void wait_and_exit(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(127);
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	_exit(128 + WTERMSIG(status));
}

int container_enter(const void *ctx)
{
	const struct container_ctx *c = ctx;
	char pid_text[32];
	char *procs;
	pid_t pid;

	if (c->cgroup_dir) {
		procs = xasprintf("%s/cgroup.procs", c->cgroup_dir);
		snprintf(pid_text, sizeof(pid_text), "%ld", (long)getpid());
		if (write_text(procs, pid_text)) {
			fprintf(stderr, "campaign: cannot join cgroup %s: %s\n",
				c->cgroup_dir, strerror(errno));
			return -1;
		}
		free(procs);
	}
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
		    CLONE_NEWPID) != 0) {
		fprintf(stderr, "campaign: unshare: %s\n", strerror(errno));
		return -1;
	}
	pid = fork();	/* the first child is PID 1 of the new namespace */
	if (pid < 0)
		return -1;
	if (pid > 0)
		wait_and_exit(pid);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    sethostname(c->hostname, strlen(c->hostname)) != 0 ||
	    chdir(c->rootfs) != 0 || chroot(".") != 0 || chdir("/") != 0) {
		fprintf(stderr, "campaign: cannot enter %s: %s\n", c->rootfs,
			strerror(errno));
		return -1;
	}
	return 0;
}

static json_t *mount_entry(const char *dest, const char *type,
			   const char *options)
{
	json_t *m = json_object(), *opts = json_array();
	char *copy = xstrdup(options), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		json_array_append_new(opts, json_string(tok));
	free(copy);
	json_object_set_new(m, "destination", json_string(dest));
	json_object_set_new(m, "type", json_string(type));
	json_object_set_new(m, "source", json_string(type));
	json_object_set_new(m, "options", opts);
	return m;
}

/* The OCI runtime spec 1.0 subset runc needs. */
static json_t *oci_config(const char *rootfs, const char *job)
{
	static const char *const ns[] = { "pid", "network", "ipc", "uts",
					  "mount" };
	json_t *root = json_object(), *proc = json_object(),
	       *user = json_object(), *env = json_array(),
	       *args = json_array(), *mounts = json_array(),
	       *linux_ = json_object(), *nss = json_array(),
	       *rootj = json_object(), *ns1;
	char *job_env = xasprintf("BENCH_JOB=%s", job);
	size_t i;

	json_object_set_new(user, "uid", json_integer(0));
	json_object_set_new(user, "gid", json_integer(0));
	json_array_append_new(args, json_string("/init"));
	json_array_append_new(env, json_string("PATH=/"));
	json_array_append_new(env, json_string(job_env));
	free(job_env);
	json_object_set_new(proc, "terminal", json_false());
	json_object_set_new(proc, "user", user);
	json_object_set_new(proc, "args", args);
	json_object_set_new(proc, "env", env);
	json_object_set_new(proc, "cwd", json_string("/"));
	json_object_set_new(rootj, "path", json_string(rootfs));
	json_object_set_new(rootj, "readonly", json_false());
	json_array_append_new(mounts, mount_entry("/proc", "proc",
						  "nosuid,noexec,nodev"));
	json_array_append_new(mounts, mount_entry("/dev", "tmpfs",
						  "nosuid,mode=755"));
	json_array_append_new(mounts, mount_entry("/tmp", "tmpfs",
						  "nosuid,nodev"));
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		ns1 = json_object();
		json_object_set_new(ns1, "type", json_string(ns[i]));
		json_array_append_new(nss, ns1);
	}
	json_object_set_new(linux_, "namespaces", nss);
	json_object_set_new(root, "ociVersion", json_string("1.0.2"));
	json_object_set_new(root, "process", proc);
	json_object_set_new(root, "root", rootj);
	json_object_set_new(root, "hostname", json_string("container"));
	json_object_set_new(root, "mounts", mounts);
	json_object_set_new(root, "linux", linux_);
	return root;
}

int container_oci_bundle(const char *bundle, const char *rootfs,
			 const char *job, struct diag *err)
{
	json_t *cfg = oci_config(rootfs, job);
	char *text = json_dumps(cfg, JSON_INDENT(2));
	char *path = xasprintf("%s/config.json", bundle);
	int rc = -1;

	if ((mkdir(bundle, 0755) == 0 || errno == EEXIST) && text &&
	    atomic_write_file(path, text, strlen(text)) == 0)
		rc = 0;
	else
		diag_set(err, NULL, 0, "cannot write '%s': %s", path,
			 strerror(errno));
	free(path);
	free(text);
	json_decref(cfg);
	return rc;
}

/* The cgroup2 mount point from /proc/self/mountinfo; caller frees. */
static char *cgroup2_mount(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024], mnt[512], *dash, *result = NULL;

	if (!f)
		return NULL;
	while (!result && fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - cgroup2 ");
		if (dash && sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1)
			result = xstrdup(mnt);
	}
	fclose(f);
	return result;
}

static int has_controller(const char *mnt, const char *name)
{
	char *path = xasprintf("%s/cgroup.controllers", mnt), buf[512], *tok,
	     *save = NULL;
	FILE *f = fopen(path, "re");
	int found = 0;

	free(path);
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f))
		for (tok = strtok_r(buf, " \n", &save); tok && !found;
		     tok = strtok_r(NULL, " \n", &save))
			found = !strcmp(tok, name);
	fclose(f);
	return found;
}

static int cgroup_write(const char *dir, const char *file, const char *val,
			struct diag *err)
{
	char *path = xasprintf("%s/%s", dir, file);
	int rc = write_text(path, val);

	if (rc)
		diag_set(err, NULL, 0, "cannot write '%s' to %s: %s", val,
			 path, strerror(errno));
	free(path);
	return rc;
}

int container_cgroup(const char *name, const char *cpu_max,
		     const char *memory_max, char **dir, struct diag *err)
{
	char *mnt = cgroup2_mount();
	const char *missing = NULL;
	int rc = -1;

	*dir = NULL;
	if (!cpu_max && !memory_max) {
		free(mnt);
		return 0;
	}
	if (!mnt) {
		diag_set(err, NULL, 0, "cgroup v2 is not mounted: cpu_max "
			 "and memory_max cannot be applied");
		return -1;
	}
	if (cpu_max && !has_controller(mnt, "cpu"))
		missing = "cpu";
	else if (memory_max && !has_controller(mnt, "memory"))
		missing = "memory";
	if (missing) {
		diag_set(err, NULL, 0, "cgroup v2 at %s lacks the '%s' "
			 "controller (a mixed v1/v2 layout binds it to v1): "
			 "limits cannot be applied", mnt, missing);
		goto out;
	}
	if (!name) {
		rc = 0;
		goto out;
	}
	cgroup_write(mnt, "cgroup.subtree_control", cpu_max ? "+cpu" :
		     "+memory", err);
	if (cpu_max && memory_max)
		cgroup_write(mnt, "cgroup.subtree_control", "+memory", err);
	*dir = xasprintf("%s/bench-%s-%ld", mnt, name, (long)getpid());
	if (mkdir(*dir, 0755) != 0 && errno != EEXIST) {
		diag_set(err, NULL, 0, "cannot create %s: %s", *dir,
			 strerror(errno));
		goto out;
	}
	if ((cpu_max && cgroup_write(*dir, "cpu.max", cpu_max, err)) ||
	    (memory_max && cgroup_write(*dir, "memory.max", memory_max, err)))
		goto out;
	rc = 0;
out:
	if (rc && *dir) {
		rmdir(*dir);
		free(*dir);
		*dir = NULL;
	}
	free(mnt);
	return rc;
}

void container_cgroup_remove(const char *dir)
{
	if (dir)
		rmdir(dir);
}
