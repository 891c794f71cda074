; kernel/switch.asm - switching from one kernel stack to another.
;
; void context_switch(struct context **save, struct context *load)
;
; Pushes the callee-saved registers (the C calling convention says the
; caller already saved the rest) onto the current stack, stores that stack
; pointer in *save, loads LOAD as the new stack pointer and pops the same
; registers from it.  The `ret` then returns into whatever call of
; context_switch saved LOAD -- or, for a new process, into the start
; routine placed there by proc_alloc.  struct context in kernel/proc.h is
; this stack layout.

section .text
global context_switch
context_switch:
    mov eax, [esp + 4]          ; save
    mov edx, [esp + 8]          ; load
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp
    mov esp, edx
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
