/*
 * x86_64 entry. The image is a plain ELF64 with a Xen PVH note, so QEMU (-M microvm,
 * pc, q35 with -kernel) and Xen start it the same way: in 32-bit protected mode, paging
 * off, %ebx = physical address of struct hvm_start_info. From there: zero .bss, build
 * identity page tables for the first 4 GiB (2 MiB pages; 3-4 GiB uncached for MMIO),
 * enable PAE + long mode + SSE, load our GDT, set up the stack-protector canary behind
 * %fs, and call x86Entry(start_info) in C++.
 */

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MSR_EFER 0xc0000080
#define MSR_FS_BASE 0xc0000100

/* The PVH note: name "Xen", type 18, the 32-bit physical entry point. */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4
    .long 8
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .balign 4
    .quad pvh_entry
    .balign 4

    .section .data.boot, "aw"
    .balign 8
    .global boot_tsc
boot_tsc:
    .quad 0

    .balign 16
gdt:
    .quad 0                      /* null */
    .quad 0x00af9a000000ffff     /* 0x08: 64-bit code, ring 0 */
    .quad 0x00cf92000000ffff     /* 0x10: flat data */
    .quad 0x00cf9a000000ffff     /* 0x18: flat 32-bit code (used until long mode) */
gdt_end:
gdt_pointer:
    .word gdt_end - gdt - 1
    .quad gdt

    .section .bss.boot, "aw", @nobits
    .balign 4096
    .global boot_pml4
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_pd:
    .skip 4 * 4096
    .balign 16
    .global boot_stack_bottom
boot_stack_bottom:
    .skip 65536
boot_stack_top:
    /* Thread block behind %fs: GCC's stack protector reads the canary at %fs:0x28. */
    .balign 64
boot_tls:
    .skip 64

    .section .text.boot, "ax"
    .code32
    .global pvh_entry
pvh_entry:
    cli
    cld
    /* Time stamp first, so the guest-side init time covers everything we do. */
    rdtsc
    movl %eax, boot_tsc
    movl %edx, boot_tsc + 4

    lgdt gdt_pointer
    ljmp $0x18, $1f
1:  movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movl %eax, %fs
    movl %eax, %gs

    /* Zero .bss (the loader zero-fills too, but Xen and QEMU need not agree on that). */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    /* PD entries: 2048 x 2 MiB = 4 GiB. Present | writable | page size, and cache
     * disable + write-through from 3 GiB up, where the MMIO holes (LAPIC, IOAPIC,
     * virtio-mmio, PCI BARs) live. */
    movl $boot_pd, %edi
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax
    cmpl $1536, %ecx
    jb 3f
    orl $0x18, %eax
3:  movl %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jb 2b

    /* PDPT[0..3] -> the four PDs; PML4[0] -> PDPT. */
    movl $boot_pdpt, %edi
    movl $boot_pd + 3, %eax
    movl %eax, 0(%edi)
    addl $4096, %eax
    movl %eax, 8(%edi)
    addl $4096, %eax
    movl %eax, 16(%edi)
    addl $4096, %eax
    movl %eax, 24(%edi)
    movl $boot_pdpt + 3, %eax
    movl %eax, boot_pml4

    /* CR4: PAE (5), OSFXSR (9), OSXMMEXCPT (10) -- SSE may be used from here on. */
    movl %cr4, %eax
    orl $((1 << 5) | (1 << 9) | (1 << 10)), %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    /* EFER.LME */
    movl $MSR_EFER, %ecx
    rdmsr
    orl $(1 << 8), %eax
    wrmsr
    /* CR0: PG (31), WP (16), MP (1); clear EM (2) so SSE does not trap. */
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16) | (1 << 1)), %eax
    andl $~(1 << 2), %eax
    movl %eax, %cr0
    ljmp $0x08, $long_mode

    .code64
long_mode:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    leaq boot_stack_top(%rip), %rsp
    xorl %ebp, %ebp

    /* FS base -> boot_tls; canary = TSC mixed by a multiply. The value only needs to be
     * unpredictable to an attacker who cannot read our memory; it is set once, before
     * any protected C++ function runs, and never changed. */
    leaq boot_tls(%rip), %rax
    movq %rax, %rdx
    shrq $32, %rdx
    movl $MSR_FS_BASE, %ecx
    wrmsr
    rdtsc
    shlq $32, %rdx
    orq %rdx, %rax
    movabsq $0x9e3779b97f4a7c15, %rcx
    imulq %rcx, %rax
    movb $0, %al   /* a zero byte stops string-copy overflows from reproducing it */
    leaq boot_tls(%rip), %rcx
    movq %rax, 0x28(%rcx)

    fninit
    movl %ebx, %edi
    call x86Entry
4:  cli
    hlt
    jmp 4b

/*
 * Exception and interrupt stubs. Every exception builds the same frame (vector, error
 * code -- 0 where the CPU pushes none --, then the general registers) and calls
 * x86Exception(frame), which prints it and powers off.
 */
    .macro EXCEPTION vector, has_error
    .balign 16
exception_\vector:
    .if \has_error == 0
    pushq $0
    .endif
    pushq $\vector
    jmp exception_common
    .endm

    .text
exception_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    andq $-16, %rsp
    call x86Exception
5:  cli
    hlt
    jmp 5b

    EXCEPTION 0, 0
    EXCEPTION 1, 0
    EXCEPTION 2, 0
    EXCEPTION 3, 0
    EXCEPTION 4, 0
    EXCEPTION 5, 0
    EXCEPTION 6, 0
    EXCEPTION 7, 0
    EXCEPTION 8, 1
    EXCEPTION 9, 0
    EXCEPTION 10, 1
    EXCEPTION 11, 1
    EXCEPTION 12, 1
    EXCEPTION 13, 1
    EXCEPTION 14, 1
    EXCEPTION 15, 0
    EXCEPTION 16, 0
    EXCEPTION 17, 1
    EXCEPTION 18, 0
    EXCEPTION 19, 0
    EXCEPTION 20, 0
    EXCEPTION 21, 1
    EXCEPTION 22, 0
    EXCEPTION 23, 0
    EXCEPTION 24, 0
    EXCEPTION 25, 0
    EXCEPTION 26, 0
    EXCEPTION 27, 0
    EXCEPTION 28, 0
    EXCEPTION 29, 1
    EXCEPTION 30, 1
    EXCEPTION 31, 0

/* The LAPIC timer only wakes the CPU from HLT: acknowledge it and return. Only %rax is
 * touched, so no other state needs saving. */
    .balign 16
    .global x86_timer_interrupt
x86_timer_interrupt:
    pushq %rax
    movq $0xfee000b0, %rax
    movl $0, (%rax)
    popq %rax
    iretq

/* Spurious LAPIC interrupts need no EOI. */
    .balign 16
    .global x86_spurious_interrupt
x86_spurious_interrupt:
    iretq

    .section .rodata
    .balign 8
    .global x86_exception_stubs
x86_exception_stubs:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exception_\v
    .endr
    .section .note.GNU-stack, "", @progbits
