; boot/multiboot.asm - the first instructions: from the boot loader to kmain.
;
; GRUB (or QEMU's -kernel) loads the image at 1 MiB and jumps to _start in
; 32-bit protected mode with paging off, EAX = 0x2BADB002 and EBX = the
; physical address of the multiboot information (Multiboot spec 0.6.96,
; section 3.2 "Machine state").  The kernel is linked at 0xC0100000, so
; before any C code runs we must turn paging on with a page directory that
; maps the kernel where it was linked:
;
;   virtual 0x00000000..0x003FFFFF -> physical 0..4 MiB   (identity, only
;        so the instruction after "mov cr0" still exists; removed in C)
;   virtual 0xC0000000..+LOWMEM    -> physical 0..LOWMEM  (the direct map)
;
;
; This code is in section .boot, linked at its physical address (see
; linker.ld); boot_higher_half is in .text, linked at 0xC01xxxxx.
;
; Both use 4 MiB pages (PSE, Intel SDM Vol. 3A 4.3 "32-bit paging",
; Table 4-4: a PDE with PS=1 maps a 4 MiB page), so one page directory and
; no page tables are enough.  mm/ later replaces it with 4 KiB tables.

%include "layout.inc"

; Multiboot v1 header (spec section 3.1.1): magic, flags, checksum.
MB_MAGIC        equ 0x1BADB002
MB_PAGE_ALIGN   equ 1 << 0          ; modules on 4 KiB boundaries
MB_MEMORY_INFO  equ 1 << 1          ; we need mem_* and the memory map
MB_FLAGS        equ MB_PAGE_ALIGN | MB_MEMORY_INFO
MB_CHECKSUM     equ -(MB_MAGIC + MB_FLAGS)

; Page-directory entry bits (Intel SDM Vol. 3A, Table 4-4).
PDE_PRESENT     equ 1 << 0
PDE_WRITABLE    equ 1 << 1
PDE_4MB         equ 1 << 7
CR0_PG          equ 1 << 31
CR0_WP          equ 1 << 16         ; kernel writes honour read-only pages
CR4_PSE         equ 1 << 4

section .multiboot
align 4
    dd MB_MAGIC
    dd MB_FLAGS
    dd MB_CHECKSUM

section .boot.bss nobits alloc write
align 4096
global boot_page_directory
boot_page_directory:
    resb 4096
global boot_stack_bottom
boot_stack_bottom:
    resb BOOT_STACK_SIZE
global boot_stack_top
boot_stack_top:

section .boot.text
global _start
extern kmain
_start:
    cli
    cld
    ; Paging is off: every address must be physical, hence "- KERNEL_VBASE".
    mov edi, boot_page_directory - KERNEL_VBASE
    mov esi, eax                    ; keep the multiboot magic

    ; Identity-map the first 4 MiB.
    mov dword [edi], PDE_PRESENT | PDE_WRITABLE | PDE_4MB

    ; Map physical 0..LOWMEM_LIMIT at KERNEL_VBASE, one 4 MiB page a PDE.
    mov ecx, 0
    mov eax, PDE_PRESENT | PDE_WRITABLE | PDE_4MB
.fill:
    mov [edi + (KERNEL_VBASE >> 22) * 4 + ecx * 4], eax
    add eax, 1 << 22
    inc ecx
    cmp ecx, BOOT_PDE_COUNT
    jb .fill

    mov eax, cr4
    or eax, CR4_PSE
    mov cr4, eax
    mov cr3, edi
    mov eax, cr0
    or eax, CR0_PG | CR0_WP
    mov cr0, eax

    ; Paging is on; continue in the higher half, where the kernel is linked.
    mov eax, boot_higher_half
    jmp eax

section .text
boot_higher_half:
    mov esp, boot_stack_top
    xor ebp, ebp                    ; the backtrace stops at a zero frame
    push ebx                        ; multiboot info (physical address)
    push esi                        ; multiboot magic
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .note.GNU-stack noalloc noexec nowrite progbits
