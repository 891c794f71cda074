/*
 * kernel/fpu.c - letting user programs use the FPU and SSE.
 *
 * glibc picks SSE2 versions of strlen, memcpy and friends when CPUID says
 * the CPU has SSE2 -- but the CPU executes SSE instructions only if the
 * operating system has said it saves that state on task switches:
 * CR4.OSFXSR (SDM Vol. 3A, 2.5 and 13.1.4).  Without it they raise #UD.
 *
 * The kernel itself never touches these registers (it is compiled with
 * -mgeneral-regs-only), so each process's FPU/SSE state simply stays in
 * the registers while the kernel runs for it; the scheduler saves it with
 * FXSAVE when the process stops and restores it with FXRSTOR when it
 * resumes (eagerly, as Linux does today).
 */
#include "kernel/fpu.h"
#include "kernel/assert.h"
#include "kernel/x86.h"
#include "lib/string.h"

#define CR0_MP        (1u << 1)    /* WAIT/FWAIT honour TS */
#define CR0_EM        (1u << 2)    /* emulate: must be clear */
#define CR0_TS        (1u << 3)    /* task switched: clear, we switch eagerly */
#define CR0_NE        (1u << 5)    /* native x87 error reporting */
#define CR4_OSFXSR    (1u << 9)    /* the OS saves SSE state with FXSAVE */
#define CR4_OSXMMEXCPT (1u << 10)  /* SIMD exceptions raise #XM */
#define CPUID_EDX_FXSR (1u << 24)
#define CPUID_EDX_SSE  (1u << 25)

static struct fpu_state clean_state;

void fpu_init(void)
{
    uint32_t eax = 1, ebx, ecx, edx;

    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    ASSERTF(edx & CPUID_EDX_FXSR, "CPU without FXSAVE (cpuid.1:edx = 0x%x)", edx);
    uint32_t cr0 = read_cr0();
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    uint32_t cr4 = read_cr4();
    if (edx & CPUID_EDX_SSE)
        cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    __asm__ volatile("fninit");
    fpu_save(&clean_state);
}

void fpu_init_state(struct fpu_state *s)
{
    memcpy(s, &clean_state, sizeof(*s));
}
