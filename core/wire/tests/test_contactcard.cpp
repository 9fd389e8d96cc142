// Contact cards: a signed card round-trips through bytes and both URI cases; every way a
// card can be bad (not a Hive code, bad base32, truncated, wrong version, malformed, bad
// signature, expired) is refused with its own reason; property tests over random cards,
// truncations and single-byte mutations.
#include "wire/base32.h"
#include "wire/contactcard.h"

#include <QtTest>

#include <random>

using namespace hive;
using namespace hive::wire;

namespace {

constexpr std::uint64_t Now = 1'800'000'000;

SigningKey keyFromByte(std::uint8_t b)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(b);
    return SigningKey::fromSeed(seed).release();
}

ContactCard makeCard(const SigningKey& key, std::string name = "Alice", bool withNode = true)
{
    ContactCard card;
    card.identityKey = key.publicKey;
    card.displayName = std::move(name);
    if (withNode) {
        NodeAddress node;
        node.key.fill(0x5a);
        node.host = "node.example.org";
        node.port = 7420;
        card.node = node;
    }
    card.inviteSecret = Bytes(16, 0x33);
    card.expires = Now + 3600;
    if (!card.sign(key))
        qFatal("cannot sign card");
    return card;
}

CardError whyOf(ByteView bytes, std::uint64_t now = Now)
{
    CardError why = CardError::None;
    auto result = ContactCard::decode(bytes, now, &why);
    if (result.ok() != (why == CardError::None))
        qFatal("decode result and reason disagree");
    return why;
}

CardError whyOfUri(std::string_view uri, std::uint64_t now = Now)
{
    CardError why = CardError::None;
    auto result = ContactCard::fromUri(uri, now, &why);
    if (result.ok() != (why == CardError::None))
        qFatal("fromUri result and reason disagree");
    return why;
}

} // namespace

class TestContactCard : public QObject {
    Q_OBJECT

private slots:
    void roundTripsThroughBytesAndUris()
    {
        const SigningKey key = keyFromByte(1);
        for (bool withNode : {true, false}) {
            ContactCard card = makeCard(key, "Zoë Ångström", withNode);
            auto decoded = ContactCard::decode(card.encode(), Now);
            QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message());
            QVERIFY(*decoded == card);

            const std::string lower = card.toUri();
            QVERIFY(lower.starts_with("hive:"));
            QCOMPARE(QString::fromStdString(lower), QString::fromStdString(lower).toLower());
            const std::string upper = card.toUri(ContactCard::UriCase::Upper);
            QVERIFY(upper.starts_with("HIVE:"));
            QCOMPARE(QString::fromStdString(upper), QString::fromStdString(lower).toUpper());
            for (const std::string& uri : {lower, upper, "  " + lower + "\n"}) {
                auto parsed = ContactCard::fromUri(uri, Now);
                QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message());
                QVERIFY(*parsed == card);
            }
        }
    }

    void upperCaseUriStaysInQrAlphanumericSet()
    {
        // QR alphanumeric mode: 0-9, A-Z, space and $%*+-./: only.
        const std::string uri = makeCard(keyFromByte(2)).toUri(ContactCard::UriCase::Upper);
        const std::string_view allowed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        for (char c : uri)
            QVERIFY2(allowed.find(c) != std::string_view::npos, std::string(1, c).c_str());
        // A typical card stays well below what a phone reads comfortably off a screen.
        QVERIFY(uri.size() < 330);
    }

    void rejectsOtherSchemes()
    {
        QCOMPARE(whyOfUri("https://example.org/"), CardError::NotHiveCode);
        QCOMPARE(whyOfUri("hello"), CardError::NotHiveCode);
        QCOMPARE(whyOfUri(""), CardError::NotHiveCode);
        QCOMPARE(whyOfUri("hive://aaaa@host:1"), CardError::NotHiveCode);
        QCOMPARE(whyOfUri("hiv:abc"), CardError::NotHiveCode);
        auto result = ContactCard::fromUri("mailto:a@b", Now);
        QVERIFY(!result);
        QCOMPARE(result.error().code(), ErrorCode::InvalidArgument);
        QVERIFY(result.error().messageView().find("not a Hive contact code") != std::string_view::npos);
    }

    void rejectsCharactersOutsideBase32()
    {
        std::string uri = makeCard(keyFromByte(3)).toUri();
        uri[10] = '1'; // '1' and '0' are not in RFC 4648 base32
        QCOMPARE(whyOfUri(uri), CardError::BadBase32);
        QCOMPARE(whyOfUri("hive:abc def"), CardError::BadBase32);
        QCOMPARE(whyOfUri("hive:abc="), CardError::BadBase32);
    }

    void reportsEveryTruncationAsTruncated()
    {
        const ContactCard card = makeCard(keyFromByte(4));
        const Bytes bytes = card.encode();
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            auto r = ContactCard::decode(ByteView(bytes).first(n), Now);
            QVERIFY2(whyOf(ByteView(bytes).first(n)) == CardError::Truncated,
                     qPrintable(QString::number(n) + QLatin1String(": ") + QLatin1String(r.error().message())));
        }
        const std::string uri = card.toUri();
        for (std::size_t n = 5; n < uri.size(); ++n)
            QCOMPARE(whyOfUri(std::string_view(uri).substr(0, n)), CardError::Truncated);
        auto result = ContactCard::fromUri(uri.substr(0, uri.size() / 2), Now);
        QVERIFY(result.error().messageView().find("cut short") != std::string_view::npos);
    }

    void rejectsUnknownVersions()
    {
        Bytes bytes = makeCard(keyFromByte(5)).encode();
        for (int v : {0, 2, 255}) {
            bytes[0] = static_cast<std::uint8_t>(v);
            QCOMPARE(whyOf(bytes), CardError::WrongVersion);
        }
        bytes[0] = 2;
        auto result = ContactCard::decode(bytes, Now);
        QCOMPARE(result.error().code(), ErrorCode::Unsupported);
        // A new version is recognised as such even when the rest is unreadable.
        QCOMPARE(whyOf(Bytes {2}), CardError::WrongVersion);
    }

    void rejectsBadSignatures()
    {
        const SigningKey alice = keyFromByte(6);
        const SigningKey mallory = keyFromByte(7);
        ContactCard card = makeCard(alice);

        // Another key's signature over the same fields.
        ContactCard forged = card;
        forged.signature = mallory.sign(card.signedBytes());
        QCOMPARE(whyOf(forged.encode()), CardError::BadSignature);

        // Altered fields under the original signature.
        ContactCard renamed = card;
        renamed.displayName = "Mallory";
        QCOMPARE(whyOf(renamed.encode()), CardError::BadSignature);
        ContactCard moved = card;
        moved.node->host = "evil.example.org";
        QCOMPARE(whyOf(moved.encode()), CardError::BadSignature);
        ContactCard extended = card;
        extended.expires += 1;
        QCOMPARE(whyOf(extended.encode()), CardError::BadSignature);
        ContactCard rekeyed = card;
        rekeyed.identityKey = mallory.publicKey;
        QCOMPARE(whyOf(rekeyed.encode()), CardError::BadSignature);

        auto result = ContactCard::decode(forged.encode(), Now);
        QCOMPARE(result.error().code(), ErrorCode::Crypto);
        QVERIFY(card.hasValidSignature());
        QVERIFY(!ContactCard(renamed).hasValidSignature());
        QVERIFY(!renamed.sign(mallory));
    }

    void signatureIsDomainSeparated()
    {
        // A signature over the raw fields (without the card prefix) must not verify, so a
        // signature made for another purpose cannot be passed off as a card.
        const SigningKey key = keyFromByte(8);
        ContactCard card = makeCard(key);
        Bytes fields = card.encode();
        fields.resize(fields.size() - 64);
        card.signature = key.sign(fields);
        QCOMPARE(whyOf(card.encode()), CardError::BadSignature);
    }

    void rejectsExpiredCards()
    {
        const ContactCard card = makeCard(keyFromByte(9));
        QCOMPARE(whyOf(card.encode(), card.expires - 1), CardError::None);
        QCOMPARE(whyOf(card.encode(), card.expires), CardError::Expired);
        QCOMPARE(whyOf(card.encode(), card.expires + 86400), CardError::Expired);
        auto result = ContactCard::fromUri(card.toUri(), card.expires);
        QCOMPARE(result.error().code(), ErrorCode::PermissionDenied);
        QVERIFY(result.error().messageView().find("expired") != std::string_view::npos);
    }

    void rejectsMalformedFields()
    {
        const SigningKey key = keyFromByte(10);
        // Trailing bytes.
        Bytes bytes = makeCard(key).encode();
        bytes.push_back(0);
        QCOMPARE(whyOf(bytes), CardError::Malformed);

        // Fields a signer could still sign: every reader refuses them.
        auto signedRaw = [&](ContactCard card) {
            card.signature = key.sign(card.signedBytes());
            return card.encode();
        };
        ContactCard empty = makeCard(key);
        empty.displayName.clear();
        QCOMPARE(whyOf(signedRaw(empty)), CardError::Malformed);
        ContactCard control = makeCard(key);
        control.displayName = "Al\nice";
        QCOMPARE(whyOf(signedRaw(control)), CardError::Malformed);
        ContactCard shortSecret = makeCard(key);
        shortSecret.inviteSecret = Bytes(15, 1);
        QCOMPARE(whyOf(signedRaw(shortSecret)), CardError::Malformed);
        ContactCard longSecret = makeCard(key);
        longSecret.inviteSecret = Bytes(33, 1);
        QCOMPARE(whyOf(signedRaw(longSecret)), CardError::Malformed);
        ContactCard upperHost = makeCard(key);
        upperHost.node->host = "Node.Example.org";
        QCOMPARE(whyOf(signedRaw(upperHost)), CardError::Malformed);
        ContactCard noPort = makeCard(key);
        noPort.node->port = 0;
        QCOMPARE(whyOf(signedRaw(noPort)), CardError::Malformed);

        // validate() refuses the same cards before they are signed.
        QVERIFY(!empty.validate());
        QVERIFY(!control.validate());
        QVERIFY(!shortSecret.validate());
        QVERIFY(!longSecret.validate());
        QVERIFY(!noPort.validate());
        QVERIFY(makeCard(key).validate().ok());
    }

    void boundsDisplayNames()
    {
        QVERIFY(isValidCardDisplayName("Alice"));
        QVERIFY(isValidCardDisplayName(std::string(64, 'a')));
        QVERIFY(!isValidCardDisplayName(std::string(65, 'a')));
        // 64 four-byte characters are 256 bytes: still fine.
        std::string emoji;
        for (int i = 0; i < 64; ++i)
            emoji += "\xF0\x9F\x90\x9D";
        QVERIFY(isValidCardDisplayName(emoji));
        QVERIFY(!isValidCardDisplayName(emoji + "a"));
        QVERIFY(!isValidCardDisplayName(" Alice"));
        QVERIFY(!isValidCardDisplayName("Alice "));
        QVERIFY(!isValidCardDisplayName("Al\x7fice"));
        QVERIFY(!isValidCardDisplayName("\xC3\x28"));
        QVERIFY(!isValidCardDisplayName(""));
    }

    void propertyRandomCardsRoundTripAndMutationsNeverPass()
    {
        std::mt19937 rng(20261122);
        for (int round = 0; round < 60; ++round) {
            const SigningKey key = keyFromByte(static_cast<std::uint8_t>(20 + round));
            ContactCard card;
            card.identityKey = key.publicKey;
            const int nameLength = 1 + static_cast<int>(rng() % 40);
            for (int i = 0; i < nameLength; ++i)
                card.displayName += static_cast<char>('a' + rng() % 26);
            if (rng() % 2) {
                NodeAddress node;
                for (auto& b : node.key)
                    b = static_cast<std::uint8_t>(rng());
                node.host = (rng() % 2) ? "10.0.0." + std::to_string(rng() % 250 + 1) : "h" + std::to_string(rng());
                node.port = static_cast<std::uint16_t>(1 + rng() % 65535);
                card.node = node;
            }
            card.inviteSecret.resize(16 + rng() % 17);
            for (auto& b : card.inviteSecret)
                b = static_cast<std::uint8_t>(rng());
            card.expires = Now + 1 + rng() % 100000;
            QVERIFY(card.sign(key).ok());

            const Bytes bytes = card.encode();
            auto decoded = ContactCard::decode(bytes, Now);
            QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message());
            QVERIFY(*decoded == card);
            QVERIFY(decoded->encode() == bytes);

            // Any single changed byte is refused (signature, bounds or version).
            for (int m = 0; m < 20; ++m) {
                Bytes mutated = bytes;
                const std::size_t at = rng() % mutated.size();
                mutated[at] = static_cast<std::uint8_t>(mutated[at] ^ (1 + rng() % 255));
                QVERIFY(whyOf(mutated) != CardError::None);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestContactCard)
#include "test_contactcard.moc"
