/*
 * host: clocks and facts about the machine bench runs on. Everything here
 * must work as /init of a VM before /proc and /sys are mounted: CPUID and
 * uname(2) first, files only as a supplement, and a note when they are
 * missing.
 */
#define _GNU_SOURCE		/* CLOCK_BOOTTIME, gethostname */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define HAVE_X86 1
#endif

#include "common.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t boottime_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

/*
 * rdtsc is not ordered with the instructions around it. Intel's "How to
 * Benchmark Code Execution Times" (2010) and the SDM use a serializing
 * barrier before the first read and rdtscp (which waits for earlier
 * instructions) plus a barrier after the last one; lfence is the barrier
 * both AMD and Intel define as dispatch-serializing for this purpose.
 */
uint64_t tsc_begin(void)
{
#ifdef HAVE_X86
	uint64_t t;

	_mm_lfence();
	t = __rdtsc();
	_mm_lfence();
	return t;
#else
	return now_ns();
#endif
}

uint64_t tsc_end(void)
{
#ifdef HAVE_X86
	unsigned aux;
	uint64_t t = __rdtscp(&aux);

	_mm_lfence();
	return t;
#else
	return now_ns();
#endif
}

long page_size(void)
{
	long size = sysconf(_SC_PAGESIZE);

	return size > 0 ? size : 4096;
}

/* First line of a small file into buf, without the newline; 0 on success. */
static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	char *nl;

	buf[0] = '\0';
	if (!f)
		return -1;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return buf[0] ? 0 : -1;
}

static void cpuid_facts(struct host_facts *h)
{
#ifdef HAVE_X86
	unsigned r[4], leaf, max_ext;

	if (__get_cpuid(1, &r[0], &r[1], &r[2], &r[3]))
		h->is_hypervisor_bit = (r[2] >> 31) & 1;
	/* Leaf 0x40000000: hypervisor vendor in EBX, ECX, EDX (e.g.
	 * "KVMKVMKVM", "TCGTCGTCGTCG", "Microsoft Hv"). Only meaningful when
	 * the hypervisor bit is set. */
	if (h->is_hypervisor_bit) {
		__cpuid(0x40000000, r[0], r[1], r[2], r[3]);
		memcpy(h->hypervisor, &r[1], 4);
		memcpy(h->hypervisor + 4, &r[2], 4);
		memcpy(h->hypervisor + 8, &r[3], 4);
		h->hypervisor[12] = '\0';
	}
	max_ext = __get_cpuid_max(0x80000000, NULL);
	if (max_ext >= 0x80000004) {
		for (leaf = 0; leaf < 3; leaf++) {
			__cpuid(0x80000002 + leaf, r[0], r[1], r[2], r[3]);
			memcpy(h->cpu_model + 16 * leaf, r, 16);
		}
		h->cpu_model[48] = '\0';
	}
#else
	(void)h;
#endif
}

/* Strip leading and repeated spaces (brand strings are padded). */
static void squeeze(char *s)
{
	char *out = s, *in = s;
	int was_space = 1;

	for (; *in; in++) {
		int is_space = *in == ' ';

		if (!(is_space && was_space))
			*out++ = *in;
		was_space = is_space;
	}
	if (out > s && out[-1] == ' ')
		out--;
	*out = '\0';
}

void host_facts_read(struct host_facts *h)
{
	struct utsname u;
	struct stat st;

	memset(h, 0, sizeof(*h));
	cpuid_facts(h);
	squeeze(h->cpu_model);
	h->n_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (uname(&u) == 0)
		snprintf(h->kernel, sizeof(h->kernel), "%s %s", u.release,
			 u.version);
	if (gethostname(h->hostname, sizeof(h->hostname)) != 0)
		h->hostname[0] = '\0';
	h->hostname[sizeof(h->hostname) - 1] = '\0';
	h->has_proc = stat("/proc/self", &st) == 0;
	h->has_sys = stat("/sys/kernel", &st) == 0;
	read_line("/sys/hypervisor/type", h->sys_hypervisor,
		  sizeof(h->sys_hypervisor));
	read_line("/sys/devices/system/clocksource/clocksource0/"
		  "current_clocksource", h->clocksource,
		  sizeof(h->clocksource));
}

void host_facts_print(FILE *f, const struct host_facts *h)
{
	fprintf(f, "host: cpu: %s\n", h->cpu_model[0] ? h->cpu_model :
		"(unknown)");
	fprintf(f, "host: online cpus: %ld\n", h->n_cpus);
	fprintf(f, "host: kernel: %s\n", h->kernel);
	fprintf(f, "host: hostname: %s\n", h->hostname);
	fprintf(f, "host: hypervisor (cpuid): %s\n", h->hypervisor[0] ?
		h->hypervisor : h->is_hypervisor_bit ? "(bit set, no "
		"signature)" : "none");
	if (h->has_sys) {
		fprintf(f, "host: hypervisor (/sys): %s\n",
			h->sys_hypervisor[0] ? h->sys_hypervisor : "none");
		fprintf(f, "host: clocksource: %s\n", h->clocksource[0] ?
			h->clocksource : "(unreadable)");
	} else {
		fputs("host: /sys is not mounted: hypervisor type and "
		      "clocksource unknown\n", f);
	}
	if (!h->has_proc)
		fputs("host: /proc is not mounted: using CPUID and "
		      "uname(2) only\n", f);
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}
