// Safety numbers: what two people compare to know that each holds the other's real key.
// Computed with libsignal-protocol-c's fingerprint generator (5200 iterations of SHA-512,
// scannable version 1), so they read like Signal's: 60 digits in 12 groups of 5, the same
// on both sides, and a scannable form for a QR code.
//
// Inputs per side: the libsignal identity key, which is the X25519 form of the person's
// Ed25519 identity key (0x05-prefixed, 33 bytes, as libsignal serialises it), and a stable
// identifier, the lower-case base32 of the Ed25519 identity key. Because the identity key
// and the safety number derive from the same key, a verified safety number verifies the
// key that signs cards and grants.
//
// Scannable text (what the QR code holds): "HIVE-SAFETY:" + upper-case base32 of the
// serialised libsignal scannable fingerprint; parseScannable() also takes lower case and
// plain hex of the serialised bytes (for typing it into hivectl).
#pragma once

#include "wire/bytes.h"
#include "wire/result.h"

#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>

namespace hive::core {

class SignalContext;

class SafetyNumber {
public:
    static constexpr int Iterations = 5200;
    static constexpr int ScannableVersion = 1;
    static constexpr int DigitCount = 60;
    static constexpr std::string_view ScannablePrefix = "HIVE-SAFETY:";

    using Ed25519Key = std::array<std::uint8_t, 32>;

    // The safety number between `local` (this person) and `remote` (a contact), both given
    // as Ed25519 identity keys. Crypto error if a key is not a valid curve point.
    static Result<SafetyNumber> compute(SignalContext& context, const Ed25519Key& local, const Ed25519Key& remote);
    // The stable identifier libsignal mixes in for a key (lower-case base32 of it).
    static QString stableIdentifier(const Ed25519Key& key);

    // 60 digits, no spaces; identical for both people.
    QString digits() const { return m_digits; }
    // The digits as 12 groups of 5.
    QStringList groups() const;
    // Three lines of four groups, as shown to people.
    QString displayText() const;
    // The serialised scannable fingerprint (libsignal protobuf).
    const Bytes& scannable() const { return m_scannable; }
    // The text for this side's QR code (see the header comment).
    QString scannableText() const;

    // Compares what was scanned from the other person's screen with this side: true if
    // both hold each other's keys, false if the keys differ. Errors (Malformed or Crypto)
    // for something that is not a safety-number code or is of another version.
    Result<bool> matchesScanned(SignalContext& context, ByteView scanned) const;
    // Parses scannable text (prefixed base32, or hex) into the serialised bytes.
    static Result<Bytes> parseScannable(const QString& text);

private:
    SafetyNumber() = default;

    QString m_digits;
    Bytes m_scannable;
};

} // namespace hive::core
