#include "signal/safetynumber.h"

#include "signal/signalcontext.h"
#include "signal/signalref.h"
#include "wire/base32.h"

#include <signal/curve.h>
#include <signal/fingerprint.h>
#include <sodium.h>

namespace hive::core {

namespace {

// libsignal's type byte for Curve25519 keys in their 33-byte serialised form.
constexpr std::uint8_t DjbKeyType = 0x05;

Result<SignalRef<ec_public_key>> libsignalKey(SignalContext& context, const SafetyNumber::Ed25519Key& ed25519)
{
    std::array<std::uint8_t, 33> serialised {};
    serialised[0] = DjbKeyType;
    if (crypto_sign_ed25519_pk_to_curve25519(serialised.data() + 1, ed25519.data()) != 0)
        return Error(ErrorCode::Crypto, "the identity key is not a valid Ed25519 public key");
    ec_public_key* key = nullptr;
    int rc = curve_decode_point(&key, serialised.data(), serialised.size(), context.get());
    SignalRef<ec_public_key> owned(key);
    if (rc != 0)
        return signalError(rc, "libsignal refused the identity key");
    return owned;
}

Result<SignalRef<scannable_fingerprint>> deserialise(SignalContext& context, ByteView bytes)
{
    scannable_fingerprint* scannable = nullptr;
    int rc = scannable_fingerprint_deserialize(&scannable, bytes.data(), bytes.size(), context.get());
    SignalRef<scannable_fingerprint> owned(scannable);
    if (rc != 0 || !owned)
        return Error(ErrorCode::Malformed, "the scanned code is not a safety number");
    return owned;
}

} // namespace

QString SafetyNumber::stableIdentifier(const Ed25519Key& key)
{
    return QString::fromStdString(base32::encode(key));
}

Result<SafetyNumber> SafetyNumber::compute(SignalContext& context, const Ed25519Key& local, const Ed25519Key& remote)
{
    auto localKey = HIVE_TRY(libsignalKey(context, local));
    auto remoteKey = HIVE_TRY(libsignalKey(context, remote));
    const QByteArray localId = stableIdentifier(local).toUtf8();
    const QByteArray remoteId = stableIdentifier(remote).toUtf8();

    fingerprint_generator* rawGenerator = nullptr;
    int rc = fingerprint_generator_create(&rawGenerator, Iterations, ScannableVersion, context.get());
    // The generator is not reference counted; it has its own free function.
    std::unique_ptr<fingerprint_generator, void (*)(fingerprint_generator*)> generator(rawGenerator,
                                                                                         fingerprint_generator_free);
    if (rc != 0)
        return signalError(rc, "libsignal could not create a fingerprint generator");

    fingerprint* rawFingerprint = nullptr;
    rc = fingerprint_generator_create_for(generator.get(), localId.constData(), localKey.get(), remoteId.constData(),
                                          remoteKey.get(), &rawFingerprint);
    SignalRef<fingerprint> fp(rawFingerprint);
    if (rc != 0 || !fp)
        return signalError(rc, "libsignal could not compute the safety number");

    // Both views are owned by the fingerprint: borrowed here, never released.
    displayable_fingerprint* displayable = fingerprint_get_displayable(fp.get());
    scannable_fingerprint* scannable = fingerprint_get_scannable(fp.get());
    if (displayable == nullptr || scannable == nullptr)
        return Error(ErrorCode::Internal, "libsignal returned an incomplete fingerprint");

    SafetyNumber number;
    number.m_digits = QString::fromLatin1(displayable_fingerprint_text(displayable));
    if (number.m_digits.size() != DigitCount)
        return Error(ErrorCode::Internal, "libsignal returned a safety number of unexpected length");

    signal_buffer* rawBuffer = nullptr;
    rc = scannable_fingerprint_serialize(&rawBuffer, scannable);
    SignalBuffer buffer(rawBuffer);
    if (rc != 0 || !buffer)
        return signalError(rc, "libsignal could not serialise the scannable safety number");
    const std::uint8_t* data = signal_buffer_const_data(buffer.get());
    number.m_scannable.assign(data, data + signal_buffer_len(buffer.get()));
    return number;
}

QStringList SafetyNumber::groups() const
{
    QStringList out;
    for (qsizetype i = 0; i + 5 <= m_digits.size(); i += 5)
        out.append(m_digits.mid(i, 5));
    return out;
}

QString SafetyNumber::displayText() const
{
    const QStringList g = groups();
    QStringList lines;
    for (qsizetype i = 0; i < g.size(); i += 4)
        lines.append(g.mid(i, 4).join(QLatin1Char(' ')));
    return lines.join(QLatin1Char('\n'));
}

QString SafetyNumber::scannableText() const
{
    return QLatin1String(ScannablePrefix.data(), static_cast<qsizetype>(ScannablePrefix.size()))
        + QString::fromStdString(base32::encode(m_scannable)).toUpper();
}

Result<Bytes> SafetyNumber::parseScannable(const QString& text)
{
    const QString trimmed = text.trimmed();
    const QString prefix = QLatin1String(ScannablePrefix.data(), static_cast<qsizetype>(ScannablePrefix.size()));
    if (trimmed.startsWith(prefix, Qt::CaseInsensitive)) {
        auto bytes = base32::decode(trimmed.mid(prefix.size()).toStdString());
        if (!bytes)
            return Error(ErrorCode::Malformed, "the safety-number code is damaged");
        return bytes;
    }
    bool ok = false;
    const QByteArray latin = trimmed.toLatin1();
    Bytes bytes = fromHex(std::string_view(latin.constData(), static_cast<std::size_t>(latin.size())), &ok);
    if (!ok || bytes.empty())
        return Error(ErrorCode::Malformed,
                     "not a safety-number code: expected text starting with HIVE-SAFETY: or hexadecimal digits");
    return bytes;
}

Result<bool> SafetyNumber::matchesScanned(SignalContext& context, ByteView scanned) const
{
    auto theirs = HIVE_TRY(deserialise(context, scanned));
    auto mine = HIVE_TRY(deserialise(context, m_scannable));
    int rc = scannable_fingerprint_compare(mine.get(), theirs.get());
    if (rc == 1)
        return true;
    if (rc == 0)
        return false;
    return signalError(rc, "the scanned safety number cannot be compared");
}

} // namespace hive::core
