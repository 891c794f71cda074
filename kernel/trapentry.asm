; kernel/trapentry.asm - the doorway from an interrupt into C.
;
; The CPU pushes EFLAGS, CS, EIP (and SS, ESP when coming from ring 3) and,
; for some exceptions only, an error code (Intel SDM Vol. 3A, 6.12.1 and
; Table 6-1).  Each stub below pushes a dummy error code where the CPU
; did not, then the vector number, so every interrupt reaches trap_common
; with the same layout: struct trapframe in kernel/trap.h.

%include "layout.inc"

SEL_KERNEL_DATA equ 0x10            ; kernel/gdt.h

extern trap_dispatch

%macro TRAP_NOERR 1
trap_stub_%1:
    push dword 0
    push dword %1
    jmp trap_common
%endmacro

%macro TRAP_ERR 1
trap_stub_%1:
    push dword %1
    jmp trap_common
%endmacro

section .text
; Exceptions that push an error code: 8, 10-14, 17, 21 (SDM Table 6-1).
TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR   8
TRAP_NOERR 9
TRAP_ERR   10
TRAP_ERR   11
TRAP_ERR   12
TRAP_ERR   13
TRAP_ERR   14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR   17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_ERR   21
%assign v 22
%rep 32 - 22
TRAP_NOERR v
%assign v v + 1
%endrep
; Hardware interrupts from the two 8259 PICs, remapped to 32..47.
%rep 16
TRAP_NOERR v
%assign v v + 1
%endrep
; The Linux i386 system-call gate.
TRAP_NOERR 128

trap_common:
    push ds
    push es
    push fs
    push gs
    pushad
    mov ax, SEL_KERNEL_DATA
    mov ds, ax
    mov es, ax
    push esp                        ; struct trapframe *
    call trap_dispatch
    add esp, 4
global trap_return
trap_return:
    popad
    pop gs
    pop fs
    pop es
    pop ds
    add esp, 8                      ; vector number and error code
    iretd

; Table of stub addresses, indexed by vector; zero where there is no stub.
section .rodata
global trap_stubs
align 4
trap_stubs:
%assign v 0
%rep 48
    dd trap_stub_%+v
%assign v v + 1
%endrep
%rep 128 - 48
    dd 0
%endrep
    dd trap_stub_128
%rep 256 - 129
    dd 0
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
