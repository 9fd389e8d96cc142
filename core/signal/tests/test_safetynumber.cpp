// Safety numbers: both sides compute the same 60 digits, other keys give other digits, the
// scannable form matches for the right pair only, and malformed scans are refused.
#include "signal/safetynumber.h"
#include "signal/signalcontext.h"

#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::core;

namespace {

SafetyNumber::Ed25519Key keyFromByte(std::uint8_t b)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(b);
    SafetyNumber::Ed25519Key pk {};
    std::array<std::uint8_t, 64> sk {};
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    return pk;
}

} // namespace

class TestSafetyNumber : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        auto context = SignalContext::create();
        QVERIFY(context.ok());
        m_context = std::move(*context);
    }

    void bothSidesSeeTheSameSixtyDigits()
    {
        const auto alice = keyFromByte(1);
        const auto bob = keyFromByte(2);
        auto fromAlice = SafetyNumber::compute(*m_context, alice, bob);
        auto fromBob = SafetyNumber::compute(*m_context, bob, alice);
        QVERIFY(fromAlice.ok());
        QVERIFY(fromBob.ok());
        QCOMPARE(fromAlice->digits().size(), 60);
        for (QChar c : fromAlice->digits())
            QVERIFY(c.isDigit());
        QCOMPARE(fromAlice->digits(), fromBob->digits());
        QCOMPARE(fromAlice->groups().size(), 12);
        QCOMPARE(fromAlice->groups().join(QString()), fromAlice->digits());
        QCOMPARE(fromAlice->displayText().count(QLatin1Char('\n')), 2);
        // Deterministic: computing again gives the same number.
        QCOMPARE(SafetyNumber::compute(*m_context, alice, bob)->digits(), fromAlice->digits());
    }

    void otherKeysGiveOtherNumbers()
    {
        const auto alice = keyFromByte(1);
        const auto bob = keyFromByte(2);
        const auto mallory = keyFromByte(3);
        const QString real = SafetyNumber::compute(*m_context, alice, bob)->digits();
        const QString withMallory = SafetyNumber::compute(*m_context, alice, mallory)->digits();
        QVERIFY(real != withMallory);
        // Each half belongs to one side: changing one key changes one half only.
        const QString bobMallory = SafetyNumber::compute(*m_context, bob, mallory)->digits();
        QVERIFY(bobMallory != real);
        QVERIFY(bobMallory != withMallory);
    }

    void scannableMatchesOnlyTheRightPair()
    {
        const auto alice = keyFromByte(1);
        const auto bob = keyFromByte(2);
        const auto mallory = keyFromByte(3);
        auto aliceSide = *SafetyNumber::compute(*m_context, alice, bob);
        auto bobSide = *SafetyNumber::compute(*m_context, bob, alice);
        // Bob scans Alice's screen and Alice scans Bob's.
        QCOMPARE(bobSide.matchesScanned(*m_context, aliceSide.scannable()).valueOr(false), true);
        QCOMPARE(aliceSide.matchesScanned(*m_context, bobSide.scannable()).valueOr(false), true);

        // Mallory in the middle: Alice holds Mallory's key as "Bob", so Bob's screen differs.
        auto aliceWithMallory = *SafetyNumber::compute(*m_context, alice, mallory);
        auto scanned = aliceWithMallory.matchesScanned(*m_context, bobSide.scannable());
        QVERIFY(scanned.ok());
        QCOMPARE(*scanned, false);
        auto malloryToBob = *SafetyNumber::compute(*m_context, mallory, alice);
        QCOMPARE(bobSide.matchesScanned(*m_context, malloryToBob.scannable()).valueOr(true), false);
        // One's own screen is not the other's.
        QCOMPARE(aliceSide.matchesScanned(*m_context, aliceSide.scannable()).valueOr(true), false);
    }

    void scannableTextRoundTrips()
    {
        auto number = *SafetyNumber::compute(*m_context, keyFromByte(4), keyFromByte(5));
        const QString text = number.scannableText();
        QVERIFY(text.startsWith(QLatin1String("HIVE-SAFETY:")));
        QCOMPARE(text, text.toUpper());
        QVERIFY(*SafetyNumber::parseScannable(text) == number.scannable());
        QVERIFY(*SafetyNumber::parseScannable(text.toLower()) == number.scannable());
        QString hexText;
        for (std::uint8_t b : number.scannable())
            hexText += QStringLiteral("%1").arg(b, 2, 16, QLatin1Char('0'));
        QVERIFY(*SafetyNumber::parseScannable(hexText) == number.scannable());
        QVERIFY(!SafetyNumber::parseScannable(QStringLiteral("hello")));
        QVERIFY(!SafetyNumber::parseScannable(QStringLiteral("HIVE-SAFETY:!!")));
    }

    void malformedScansAreErrorsNotMatches()
    {
        auto number = *SafetyNumber::compute(*m_context, keyFromByte(6), keyFromByte(7));
        for (const Bytes& junk : {Bytes {}, Bytes {0x08}, Bytes {0xff, 0xff, 0xff}, Bytes(40, 0x12)}) {
            auto result = number.matchesScanned(*m_context, junk);
            QVERIFY(!result.ok());
        }
        // A truncated real scan is never a match.
        Bytes cut = number.scannable();
        cut.resize(cut.size() / 2);
        auto result = number.matchesScanned(*m_context, cut);
        QVERIFY(!result.ok() || *result == false);
    }

    void refusesInvalidKeys()
    {
        // Not a point on the curve: libsodium's conversion refuses it.
        SafetyNumber::Ed25519Key bad {};
        bad.fill(0xff);
        QVERIFY(!SafetyNumber::compute(*m_context, keyFromByte(1), bad).ok());
    }

private:
    std::unique_ptr<SignalContext> m_context;
};

QTEST_GUILESS_MAIN(TestSafetyNumber)
#include "test_safetynumber.moc"
