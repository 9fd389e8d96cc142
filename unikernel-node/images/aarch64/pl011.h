// PL011 UART, transmit only, polled: the boot console on QEMU virt.
#pragma once

#include "cpu.h"

#include <cstddef>
#include <cstdint>

namespace hive::image::aarch64 {

class Pl011 {
public:
    // Programs 115200 8N1 with FIFOs (QEMU ignores the divisor; real PL011s at 24 MHz do not).
    void init(std::uint64_t base)
    {
        m_base = base;
        mmioWrite32(base + Control, 0);
        mmioWrite32(base + IntegerBaud, 13);
        mmioWrite32(base + FractionalBaud, 1);
        mmioWrite32(base + LineControl, (3u << 5) | (1u << 4)); // 8 bits, FIFO on
        mmioWrite32(base + InterruptMask, 0);
        mmioWrite32(base + Control, (1u << 0) | (1u << 8) | (1u << 9)); // UARTEN, TXE, RXE
    }
    bool ready() const { return m_base != 0; }
    // Writes bytes, turning "\n" into "\r\n" for terminals.
    void write(const char* data, std::size_t size)
    {
        if (m_base == 0)
            return;
        for (std::size_t i = 0; i < size; ++i) {
            if (data[i] == '\n')
                put('\r');
            put(data[i]);
        }
    }

private:
    static constexpr std::uint64_t Data = 0x00;
    static constexpr std::uint64_t Flags = 0x18;
    static constexpr std::uint64_t IntegerBaud = 0x24;
    static constexpr std::uint64_t FractionalBaud = 0x28;
    static constexpr std::uint64_t LineControl = 0x2c;
    static constexpr std::uint64_t Control = 0x30;
    static constexpr std::uint64_t InterruptMask = 0x38;
    static constexpr std::uint32_t TransmitFifoFull = 1u << 5;

    void put(char c)
    {
        // Bounded wait: a wedged UART must not hang a panic path forever.
        for (int spins = 0; spins < 1000000 && (mmioRead32(m_base + Flags) & TransmitFifoFull) != 0; ++spins) {
        }
        mmioWrite32(m_base + Data, static_cast<std::uint8_t>(c));
    }

    std::uint64_t m_base = 0;
};

} // namespace hive::image::aarch64
