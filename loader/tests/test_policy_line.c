/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_policy_line.c — takes verifier logs (two captured from real refusals in the VM, the rest
 * written in the kernel's format for cases those do not show) and checks the sentence
 * scxload_policy_line_of_log() makes of each: the policy line the refused code came from,
 * quoted, or nothing when the log quotes no .sched line.
 */
#include <stdio.h>
#include <string.h>

#include "scxload.h"

static int failures;

static void expect_within(const char *name, const char *log, size_t length, const char *wanted)
{
	char message[1024] = "";
	bool found = scxload_policy_line_of_log(log, length, message, sizeof(message));

	if (!wanted && found) {
		printf("FAIL %s: wanted nothing, got \"%s\"\n", name, message);
		failures++;
	} else if (wanted && (!found || strcmp(message, wanted))) {
		printf("FAIL %s:\n  wanted \"%s\"\n  got    \"%s\"\n", name, wanted,
		       found ? message : "(nothing)");
		failures++;
	} else {
		printf("ok %s\n", name);
	}
}

static void expect(const char *name, const char *log, const char *wanted)
{
	expect_within(name, log, strlen(log), wanted);
}

/* Captured: tests/golden/tiers.bpf.c with ui's slice changed to read memory at the task's nice
 * value, refused by Linux 7.2.13 (the end scxrun shows; the address is the run's). */
static const char captured_7_2[] =
	"141: (67) r3 <<= 3                    ; R3=8\n"
	"142: (18) r4 = 0xffffcda4000ce000     ; R4=map_value(map=tiers.bss,ks=4,vs=1200)\n"
	"144: (0f) r4 += r3                    ; R3=8 R4=map_value(map=tiers.bss,ks=4,vs=1200"
	",imm=8)\n"
	"; bool sorted_before = task->weight != 0; @ ops.bpf.h:71\n"
	"145: (61) r5 = *(u32 *)(r0 +4)        ; R0=map_value(id=1,map=scxc_tasks,ks=4,vs=16)"
	" R5=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))\n"
	"; u64 watermark = scxc_queue_vtime[q]; @ ops.bpf.h:70\n"
	"146: (79) r4 = *(u64 *)(r4 +0)        ; R4=scalar()\n"
	"; class audio when comm in (\"pipewire\", \"jackd\") { queue = realtime; slice = 1ms"
	"; } @ tiers.sched:11\n"
	"147: (66) if w8 s> 0x1 goto pc+9      ; R8=1\n"
	"148: (b7) r3 = 1000000                ; R3=0xf4240\n"
	"149: (16) if w8 == 0x0 goto pc+29     ; R8=1\n"
	"150: (16) if w8 == 0x1 goto pc+1      ; R8=1\n"
	"; return p->static_prio - SCXC_DEFAULT_PRIO; @ runtime.bpf.h:63\n"
	"152: (61) r3 = *(u32 *)(r7 +108)      ; R3=scalar(smin=0,smax=umax=0xffffffff,var_of"
	"f=(0x0; 0xffffffff)) R7=trusted_ptr_task_struct()\n"
	"153: (67) r3 <<= 32                   ; R3=scalar(smax=0x7fffffff00000000,smin32=0,s"
	"max32=umax32=0,var_off=(0x0; 0xffffffff00000000))\n"
	"154: (c7) r3 s>>= 32                  ; R3=scalar(smin=0xffffffff80000000,smax=0x7ff"
	"fffff)\n"
	"; class ui when nice < 0 { queue = interactive; slice = slice / 2; } @ tiers.sched:1"
	"2\n"
	"155: (79) r3 = *(u64 *)(r3 -120)\n"
	"R3 invalid mem access 'scalar'\n"
	"processed 352 insns (limit 1000000) max_states_per_insn 3 total_states 37 peak_state"
	"s 37 mark_read 0\n";

/* The same object refused by Linux 7.3.4, whose log goes on with a report after the classic
 * lines (cut at "..."). */
static const char captured_7_3[] =
	"; return p->static_prio - SCXC_DEFAULT_PRIO; @ runtime.bpf.h:63\n"
	"152: (61) r3 = *(u32 *)(r7 +108)      ; R3=scalar(smin=0,smax=umax=0xffffffff,var_of"
	"f=(0x0; 0xffffffff)) R7=trusted_ptr_task_struct()\n"
	"153: (67) r3 <<= 32                   ; R3=scalar(smax=0x7fffffff00000000,smin32=0,s"
	"max32=umax32=0,var_off=(0x0; 0xffffffff00000000))\n"
	"154: (c7) r3 s>>= 32                  ; R3=scalar(smin=0xffffffff80000000,smax=0x7ff"
	"fffff)\n"
	"; class ui when nice < 0 { queue = interactive; slice = slice / 2; } @ tiers.sched:1"
	"2\n"
	"155: (79) r3 = *(u64 *)(r3 -120)\n"
	"R3 invalid mem access 'scalar'\n"
	"\n"
	"Verification failed: Register Type Safety: Invalid dereference\n"
	"\n"
	"Reason:\n"
	"  R3 is an integer scalar here, not a pointer to memory.\n"
	"\n"
	"At:\n"
	"  scxc_select_cpu @ tiers.sched:12:10\n"
	"  Source context:\n"
	"      10 | ...\n"
	"      11 | ...\n"
	"  >>> 12 | class ui when nice < 0 { queue = interactive; slice = slice / 2; }\n"
	"         | ^-- error: invalid dereference of R3 (an integer scalar)\n"
	"      13 | class background when nice >= 10 { queue = idle; slice = slice * 4; weigh"
	"t =...\n"
	"      14 | class builds when comm in (\"cc1\", \"cc1plus\", \"ld\", \"rustc\") { que"
	"ue = batch;...\n"
	"  Instruction context:\n"
	"      153 | (67) r3 <<= 32\n"
	"      154 | (c7) r3 s>>= 32\n"
	"  >>> 155 | (79) r3 = *(u64 *)(r3 -120)\n"
	"      156 | (05) goto pc+16\n"
	"      157 | (16) if w8 == 0x2 goto pc+7\n"
	"\n"
	"Causal path:\n"
	"  ...\n"
	"Suggestion:\n"
	"  Preserve a pointer-valued register where needed, or reload and revalidate the poin"
	"ter after scalar\n"
	"  arithmetic, helper calls, or other operations that can invalidate it.\n"
	"\n"
	"processed 352 insns (limit 1000000) max_states_per_insn 3 total_states 37 peak_state"
	"s 37 mark_read 0\n";

/* The refused instruction is the policy's own: a slice computed from an unchecked read. */
static const char refused_in_policy[] =
	"func#0 @0\n"
	"0: R1=ctx() R10=fp0\n"
	"; void BPF_STRUCT_OPS(scxc_enqueue, struct task_struct *p, u64 enq_flags) @ ops.bpf.h:96\n"
	"0: (79) r6 = *(u64 *)(r1 +0)         ; R1=ctx() R6_w=ptr_task_struct()\n"
	"; class ui when nice < 0 { queue = interactive; slice = slice / 2; } @ tiers.sched:12\n"
	"12: (61) r1 = *(u32 *)(r6 +2076)     ; R1_w=scalar() R6=ptr_task_struct()\n"
	"; return p->scx.weight; @ runtime.bpf.h:140\n"
	"13: (bf) r2 = r1                     ; R1_w=scalar(id=1) R2_w=scalar(id=1)\n"
	"; slice = task.weight * 2; @ fair.sched:12\n"
	"14: (79) r3 = *(u64 *)(r2 +0)\n"
	"R2 invalid mem access 'scalar'\n"
	"processed 15 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 "
	"mark_read 1\n";

/* The refused instruction is the runtime's, reached from a policy condition. */
static const char refused_in_runtime[] =
	"; class audio when comm ~ \"pipe*\" { queue = realtime; } @ tiers.sched:11\n"
	"20: (85) call bpf_probe_read_kernel_str#115\n"
	"; for (i = 0; i < SCXC_COMM_LEN; i++) { @ runtime.bpf.h:212\n"
	"21: (71) r1 = *(u8 *)(r10 -16)\n"
	"invalid read from stack R10 off=-16 size=1\n"
	"processed 22 insns (limit 1000000)\n";

/* clang did not find the policy's file: BTF has the line number but an empty text. */
static const char no_text[] = "4: (b7) r0 = 1\n"
			      ";  @ weights.sched:7\n"
			      "5: (bf) r1 = r0\n"
			      "R1 !read_ok\n";

/* A log from a program with no policy lines at all. */
static const char no_policy[] =
	"; int BPF_PROG(on_exit, struct scx_exit_info *ei) @ ops.bpf.h:300\n"
	"0: (79) r1 = *(u64 *)(r1 +0)\n"
	"; bpf_probe_read_kernel_str(x, sizeof(x), ei->msg); @ ops.bpf.h:305\n"
	"R1 type=scalar expected=fp\n";

/* Lines that look like quotes but are not, and a policy line earlier on the path. */
static const char look_alikes[] = "; queue = main; @ fair.sched:20\n"
				  "; not a quote @ fair.sched\n"
				  "; also not @ fair.sched:12x\n"
				  "; sched in the text @ foo.c:9\n"
				  "9: (05) goto pc+0\n";

int main(void)
{
	expect("captured from 7.2.13", captured_7_2,
	       "the verifier refused code from tiers.sched:12: "
	       "`class ui when nice < 0 { queue = interactive; slice = slice / 2; }`");
	expect("captured from 7.3.4", captured_7_3,
	       "the verifier refused code from tiers.sched:12: "
	       "`class ui when nice < 0 { queue = interactive; slice = slice / 2; }`");
	expect("refused in policy", refused_in_policy,
	       "the verifier refused code from fair.sched:12: `slice = task.weight * 2;`");
	expect("refused in runtime", refused_in_runtime,
	       "the verifier refused code in runtime.bpf.h:212, reached from tiers.sched:11: "
	       "`class audio when comm ~ \"pipe*\" { queue = realtime; }`");
	expect("no text", no_text, "the verifier refused code from weights.sched:7");
	expect("no policy", no_policy, NULL);
	expect("look-alikes", look_alikes,
	       "the verifier refused code in foo.c:9, reached from fair.sched:20: `queue = main;`");
	expect("empty log", "", NULL);
	/* The scan stays inside LENGTH: the second line is not part of the log. */
	expect_within("length respected", "; x @ a.sched:1\n; y @ b.sched:2", 16,
		      "the verifier refused code from a.sched:1: `x`");
	return failures ? 1 : 0;
}
