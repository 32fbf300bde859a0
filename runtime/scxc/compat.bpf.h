/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.bpf.h — the sched_ext kfuncs, bridged across kernel versions 6.12 to 7.x.
 *
 * Takes the kernel types and kfuncs of kernel.bpf.h; makes small scxc_* wrappers over the
 * kfuncs whose names changed.  Kernel 6.13 renamed the insert and consume kfuncs (scx_bpf_dispatch →
 * scx_bpf_dsq_insert, scx_bpf_consume → scx_bpf_dsq_move_to_local) and later kernels
 * dropped the old names.  Both spellings are declared as weak externs: libbpf resolves the
 * ones the running kernel has and sets the others to zero, and the verifier removes the
 * calls that the zero test makes dead.  So one object loads on old and new kernels alike.
 */
#ifndef SCXC_COMPAT_BPF_H
#define SCXC_COMPAT_BPF_H

/* True when the running kernel has the kfunc (libbpf ≥ 1.2 calls this bpf_ksym_exists). */
#define scxc_kfunc_exists(kfunc) ((void *)(kfunc) != NULL)

/* 6.13 and later. */
extern void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice,
			       u64 enq_flags) __ksym __weak;
extern void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				     u64 enq_flags) __ksym __weak;
extern bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;

/* 6.12 (removed by 6.18). */
extern void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice,
			     u64 enq_flags) __ksym __weak;
extern void scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				   u64 enq_flags) __ksym __weak;
extern bool scx_bpf_consume(u64 dsq_id) __ksym __weak;

/* Queues P on DSQ_ID in arrival order, to run for SLICE ns. */
static __always_inline void scxc_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	if (scxc_kfunc_exists(scx_bpf_dsq_insert))
		scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dispatch(p, dsq_id, slice, enq_flags);
}

/* Queues P on DSQ_ID ordered by VTIME (smallest first), to run for SLICE ns. */
static __always_inline void scxc_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice,
					      u64 vtime, u64 enq_flags)
{
	if (scxc_kfunc_exists(scx_bpf_dsq_insert_vtime))
		scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags);
	else
		scx_bpf_dispatch_vtime(p, dsq_id, slice, vtime, enq_flags);
}

/* Moves the first task of DSQ_ID to this CPU's local DSQ; false if DSQ_ID is empty. */
static __always_inline bool scxc_move_to_local(u64 dsq_id)
{
	if (scxc_kfunc_exists(scx_bpf_dsq_move_to_local))
		return scx_bpf_dsq_move_to_local(dsq_id);
	return scx_bpf_consume(dsq_id);
}

/* How many waiting tasks scxc_dsq_first_for() looks at before it gives up. */
#define SCXC_DSQ_SCAN_MAX 64

/*
 * The dsq_vtime of the first task waiting in DSQ_ID that may run on CPU; false if none of the
 * first SCXC_DSQ_SCAN_MAX may.  It is the task scxc_move_to_local() would move to CPU.  The
 * bound is kept by a numeric iterator, not a counter: the verifier knows a counter's value and
 * would check the loop's body once for each; an iterator's value it does not know, so it checks
 * the body until its state stops changing, about twice.
 */
static __always_inline bool scxc_dsq_first_for(u64 dsq_id, s32 cpu, u64 *vtime)
{
	struct bpf_iter_scx_dsq it;
	struct bpf_iter_num scan;
	struct task_struct *p;
	bool found = false;

	/* Both iterators must be destroyed, whether or not they could be made. */
	bpf_iter_scx_dsq_new(&it, dsq_id, 0);
	bpf_iter_num_new(&scan, 0, SCXC_DSQ_SCAN_MAX);
	while (bpf_iter_num_next(&scan) && (p = bpf_iter_scx_dsq_next(&it))) {
		if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) {
			*vtime = p->scx.dsq_vtime;
			found = true;
			break;
		}
	}
	bpf_iter_num_destroy(&scan);
	bpf_iter_scx_dsq_destroy(&it);
	return found;
}

#endif
