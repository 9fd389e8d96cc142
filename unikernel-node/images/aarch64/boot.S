// Entry of the aarch64 image: the arm64 Linux Image header (so QEMU's and U-Boot's
// `-kernel` / booti loaders accept the file and pass the DTB in x0), the drop from EL2 to
// EL1, BSS clearing, stacks, and the exception vector table.
//
// Register state on entry (arm64 boot protocol): x0 = DTB physical address, x1-x3 = 0,
// MMU off, D-cache off, interrupts masked, EL2 or EL1.

#define HIVE_TEXT_OFFSET 0x200000
#define BOOT_STACK_SIZE (128 * 1024)
#define EXCEPTION_STACK_SIZE (16 * 1024)
#define FRAME_SIZE (36 * 8)

    .section .text.boot, "ax"
    .global _start
_start:
    b       entry                      // code0: branch over the header
    .long   0                          // code1
    .quad   HIVE_TEXT_OFFSET           // text_offset: load 2 MiB above a 2 MiB-aligned base
    .quad   __image_size               // image_size: file plus BSS (defined by linker.ld)
    .quad   0x2                        // flags: little-endian, 4 KiB pages, base near RAM start
    .quad   0                          // res2
    .quad   0                          // res3
    .quad   0                          // res4
    .ascii  "ARM\x64"                  // magic
    .long   0                          // res5 (PE/COFF offset: no EFI stub)

entry:
    mov     x19, x0                    // keep the DTB address across everything below

    // The image is linked at a fixed address (no relocation processing). A loader that put
    // it elsewhere gets it moved; QEMU virt (RAM at 0x40000000) loads it in place.
    adr     x1, _start
    ldr     x2, =_start
    cmp     x1, x2
    b.eq    placed
    ldr     x3, =__image_file_size
    cmp     x2, x1
    b.hi    copy_down_from_end
copy_up:                               // destination below source: copy forwards
    ldr     x4, [x1], #8
    str     x4, [x2], #8
    subs    x3, x3, #8
    b.hi    copy_up
    b       copied
copy_down_from_end:                    // destination above source: copy backwards
    add     x1, x1, x3
    add     x2, x2, x3
1:  ldr     x4, [x1, #-8]!
    str     x4, [x2, #-8]!
    subs    x3, x3, #8
    b.hi    1b
copied:
    ic      iallu
    dsb     sy
    isb
    ldr     x1, =placed
    br      x1

placed:
    mrs     x21, CurrentEL
    lsr     x21, x21, #2               // the exception level we were entered at, for the log
    cmp     x21, #1
    b.eq    at_el1
    cmp     x21, #2
    b.ne    unsupported_el

    // EL2: run the kernel at EL1 with nothing trapped, the counters readable and the
    // virtual counter equal to the physical one (CNTVOFF_EL2 = 0).
    mov     x1, #(1 << 31)             // HCR_EL2.RW: EL1 runs AArch64; no stage 2
    msr     hcr_el2, x1
    mrs     x1, cnthctl_el2
    orr     x1, x1, #3                 // EL1PCTEN | EL1PCEN
    msr     cnthctl_el2, x1
    msr     cntvoff_el2, xzr
    mov     x1, #0x33ff                // CPTR_EL2: RES1 bits only, TFP = 0 (FP not trapped)
    msr     cptr_el2, x1
    msr     hstr_el2, xzr
    mrs     x1, id_aa64pfr0_el1        // GICv3 system registers present?
    ubfx    x1, x1, #24, #4
    cbz     x1, 5f
    mov     x1, #0xf                   // ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use them)
    msr     s3_4_c12_c9_5, x1
    isb
5:  ldr     x1, =0x30d00800            // SCTLR_EL1: RES1 bits, MMU and caches off
    msr     sctlr_el1, x1
    mov     x1, #0x3c5                 // SPSR_EL2: EL1h, D/A/I/F masked
    msr     spsr_el2, x1
    adr     x1, at_el1
    msr     elr_el2, x1
    eret

at_el1:
    mrs     x20, cntvct_el0            // boot timestamp for the init-time report

    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
2:  cmp     x1, x2
    b.hs    3f
    stp     xzr, xzr, [x1], #16
    b       2b
3:
    mov     x1, #(3 << 20)             // CPACR_EL1.FPEN: FP/SIMD usable at EL1
    msr     cpacr_el1, x1
    ldr     x1, =hive_aarch64_vectors
    msr     vbar_el1, x1

    // Kernel code runs on SP_EL0 (EL1t); exceptions switch to SP_EL1, a separate stack,
    // so a kernel stack overflow still gets a readable panic.
    ldr     x1, =exception_stack_top
    mov     sp, x1
    ldr     x1, =boot_stack_top
    msr     sp_el0, x1
    msr     spsel, #0
    isb

    mov     x0, x19
    mov     x1, x20
    mov     x2, x21
    mov     x29, #0
    mov     x30, #0
    bl      hive_aarch64_main
halt:
    wfi
    b       halt

unsupported_el:                        // EL3 (no firmware below us): nothing sensible to do
    wfe
    b       unsupported_el

    .ltorg

// Exception vectors: 16 entries of 128 bytes, table aligned to 2 KiB. Each entry saves
// x0/x1, puts its index in x0 and joins the common path, which builds a full frame and
// calls the C++ handler (which panics: the kernel takes no interrupts, see platform.cpp).
    .macro vector index
    .balign 128
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\index
    b       exception_common
    .endm

    .section .text.vectors, "ax"
    .balign 2048
    .global hive_aarch64_vectors
hive_aarch64_vectors:
    vector 0                           // current EL, SP_EL0: synchronous
    vector 1                           //                     IRQ
    vector 2                           //                     FIQ
    vector 3                           //                     SError
    vector 4                           // current EL, SP_ELx: synchronous
    vector 5
    vector 6
    vector 7
    vector 8                           // lower EL, AArch64
    vector 9
    vector 10
    vector 11
    vector 12                          // lower EL, AArch32
    vector 13
    vector 14
    vector 15

exception_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, elr_el1
    stp     x30, x2, [sp, #240]        // x30, ELR
    mrs     x2, spsr_el1
    mrs     x3, esr_el1
    stp     x2, x3, [sp, #256]         // SPSR, ESR
    mrs     x2, far_el1
    mrs     x3, sp_el0
    stp     x2, x3, [sp, #272]         // FAR, interrupted kernel stack pointer
    mov     x1, x0                     // vector index
    mov     x0, sp                     // frame
    mov     x29, #0
    bl      hive_aarch64_exception
4:  wfi                                // the handler does not return
    b       4b

    // The page below the kernel stack stays unmapped (mmu.cpp), so an overflow faults
    // instead of silently overwriting other BSS.
    .section .bss.stacks, "aw", %nobits
    .balign 4096
    .global hive_aarch64_stack_guard
hive_aarch64_stack_guard:
    .space  4096
boot_stack:
    .space  BOOT_STACK_SIZE
boot_stack_top:
    .balign 16
exception_stack:
    .space  EXCEPTION_STACK_SIZE
exception_stack_top:
