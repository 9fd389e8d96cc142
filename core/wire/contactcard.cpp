#include "contactcard.h"

#include "base32.h"
#include "codec.h"

namespace hive::wire {

namespace {

// Domain separation: a card signature can never be replayed as a signature over anything
// else the identity key signs (grant links, revocations, device certificates).
constexpr std::string_view SignaturePrefix {"hive contact card v1\0", 21};

// The codec reports running out of input with this message; it is what "truncated" means.
constexpr std::string_view EndOfInputMessage = "input ends in the middle of a field";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool isBase32Letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

Error reject(CardError reason, CardError* why, ErrorCode code, std::string_view message)
{
    if (why != nullptr)
        *why = reason;
    return Error(code, message);
}

// Decodes one UTF-8 sequence starting at text[i] (already validated), returning the code
// point and advancing i.
std::uint32_t nextCodePoint(std::string_view text, std::size_t& i)
{
    auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[k])); };
    std::uint32_t first = byte(i);
    if (first < 0x80) {
        i += 1;
        return first;
    }
    if (first < 0xE0) {
        std::uint32_t cp = ((first & 0x1F) << 6) | (byte(i + 1) & 0x3F);
        i += 2;
        return cp;
    }
    if (first < 0xF0) {
        std::uint32_t cp = ((first & 0x0F) << 12) | ((byte(i + 1) & 0x3F) << 6) | (byte(i + 2) & 0x3F);
        i += 3;
        return cp;
    }
    std::uint32_t cp = ((first & 0x07) << 18) | ((byte(i + 1) & 0x3F) << 12) | ((byte(i + 2) & 0x3F) << 6)
        | (byte(i + 3) & 0x3F);
    i += 4;
    return cp;
}

bool isControl(std::uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

bool isWhiteSpace(std::uint32_t cp)
{
    return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F
        || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// A node address is canonical if printing and parsing it again gives the same address;
// that also validates the host and the port.
bool isCanonicalNode(const NodeAddress& node)
{
    auto again = NodeAddress::parse(node.toString());
    return again.ok() && *again == node;
}

} // namespace

std::string_view cardErrorName(CardError error)
{
    switch (error) {
    case CardError::None: return "none";
    case CardError::NotHiveCode: return "not-hive-code";
    case CardError::BadBase32: return "bad-base32";
    case CardError::Truncated: return "truncated";
    case CardError::WrongVersion: return "wrong-version";
    case CardError::Malformed: return "malformed";
    case CardError::BadSignature: return "bad-signature";
    case CardError::Expired: return "expired";
    }
    return "unknown";
}

bool isValidCardDisplayName(std::string_view name)
{
    if (name.empty() || name.size() > ContactCard::MaxDisplayNameBytes || !isValidUtf8(name))
        return false;
    std::size_t count = 0;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    for (std::size_t i = 0; i < name.size();) {
        std::uint32_t cp = nextCodePoint(name, i);
        if (isControl(cp))
            return false;
        if (count == 0)
            first = cp;
        last = cp;
        ++count;
    }
    return count <= ContactCard::MaxDisplayNameCodePoints && !isWhiteSpace(first) && !isWhiteSpace(last);
}

Bytes ContactCard::signedBytes() const
{
    Writer w;
    w.fixed(asBytes(SignaturePrefix));
    w.u8(version);
    w.fixed(identityKey);
    w.text(displayName);
    w.boolean(node.has_value());
    if (node) {
        w.fixed(node->key);
        w.text(node->host);
        w.u16(node->port);
    }
    w.bytes(inviteSecret);
    w.u64(expires);
    return w.take();
}

Bytes ContactCard::encode() const
{
    Bytes out = signedBytes();
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(SignaturePrefix.size()));
    out.insert(out.end(), signature.begin(), signature.end());
    return out;
}

Status ContactCard::validate() const
{
    if (version != CurrentVersion)
        return Error(ErrorCode::Unsupported, "only contact card version 1 can be written");
    if (!isValidCardDisplayName(displayName))
        return Error(ErrorCode::InvalidArgument,
                     "the display name must be 1 to 64 characters without control characters or outer spaces");
    if (node && !isCanonicalNode(*node))
        return Error(ErrorCode::InvalidArgument, "the node address is not a valid hive:// address");
    if (inviteSecret.size() < MinInviteSecret || inviteSecret.size() > MaxInviteSecret)
        return Error(ErrorCode::InvalidArgument, "the invite secret must be 16 to 32 bytes");
    return success();
}

Result<ContactCard> ContactCard::decode(ByteView bytes, std::uint64_t now, CardError* why)
{
    if (why != nullptr)
        *why = CardError::None;
    if (bytes.empty())
        return reject(CardError::Truncated, why, ErrorCode::Malformed, "the contact card is empty");
    if (bytes.size() > MaxEncodedSize)
        return reject(CardError::Malformed, why, ErrorCode::TooLarge, "the contact card is longer than any valid card");
    // The version comes first so that a card from a newer Hive is reported as such rather
    // than as garbage, whatever its later fields look like.
    if (bytes[0] != CurrentVersion)
        return reject(CardError::WrongVersion, why, ErrorCode::Unsupported,
                      "the contact card has a version this Hive does not know; update Hive to read it");

    Reader r(bytes, Limits {.maxBytes = MaxDisplayNameBytes, .maxList = 0, .maxDepth = 1});
    ContactCard card;
    card.version = r.u8();
    r.fixed(card.identityKey);
    card.displayName = r.text(MaxDisplayNameBytes);
    if (r.boolean()) {
        NodeAddress node;
        r.fixed(node.key);
        node.host = r.text(MaxHostBytes);
        node.port = r.u16();
        card.node = std::move(node);
    }
    card.inviteSecret = r.bytes(MaxInviteSecret);
    card.expires = r.u64();
    r.fixed(card.signature);
    if (!r.ok()) {
        const Error& e = r.error();
        if (e.code() == ErrorCode::Malformed && e.messageView().starts_with(EndOfInputMessage))
            return reject(CardError::Truncated, why, ErrorCode::Malformed,
                          "the contact card is cut short; scan or copy the whole code again");
        Error out = e.withContext("the contact card is malformed");
        if (why != nullptr)
            *why = CardError::Malformed;
        return Error(ErrorCode::Malformed, out.messageView());
    }
    if (!r.atEnd())
        return reject(CardError::Malformed, why, ErrorCode::Malformed, "the contact card has extra bytes at its end");
    if (!isValidCardDisplayName(card.displayName))
        return reject(CardError::Malformed, why, ErrorCode::Malformed, "the contact card's display name is not acceptable");
    if (card.node && !isCanonicalNode(*card.node))
        return reject(CardError::Malformed, why, ErrorCode::Malformed, "the contact card's node address is not valid");
    if (card.inviteSecret.size() < MinInviteSecret)
        return reject(CardError::Malformed, why, ErrorCode::Malformed, "the contact card's invite secret is too short");
    if (!card.hasValidSignature())
        return reject(CardError::BadSignature, why, ErrorCode::Crypto,
                      "the contact card's signature does not match its key; it was altered or forged");
    if (now >= card.expires)
        return reject(CardError::Expired, why, ErrorCode::PermissionDenied,
                      "the contact card has expired; ask for a new code");
    return card;
}

std::string ContactCard::toUri(UriCase letterCase) const
{
    std::string out(UriScheme);
    out += base32::encode(encode());
    if (letterCase == UriCase::Upper)
        for (char& c : out)
            c = upper(c);
    return out;
}

Result<ContactCard> ContactCard::fromUri(std::string_view uri, std::uint64_t now, CardError* why)
{
    if (why != nullptr)
        *why = CardError::None;
    std::string_view text = trimmed(uri);
    bool schemeMatches = text.size() >= UriScheme.size();
    for (std::size_t i = 0; schemeMatches && i < UriScheme.size(); ++i)
        schemeMatches = lower(text[i]) == UriScheme[i];
    // "hive://" is a node address, not a card: say so instead of "bad base32".
    if (!schemeMatches || text.substr(UriScheme.size()).starts_with("//"))
        return reject(CardError::NotHiveCode, why, ErrorCode::InvalidArgument,
                      "this is not a Hive contact code (it does not start with \"hive:\")");
    std::string_view payload = text.substr(UriScheme.size());
    if (payload.empty())
        return reject(CardError::Truncated, why, ErrorCode::Malformed, "the contact code is empty after \"hive:\"");
    if (payload.size() > base32::encodedLength(MaxEncodedSize))
        return reject(CardError::Malformed, why, ErrorCode::TooLarge, "the contact code is longer than any valid card");
    for (char c : payload)
        if (!isBase32Letter(c))
            return reject(CardError::BadBase32, why, ErrorCode::Malformed,
                          "the contact code contains characters that base32 does not allow");
    // Only letters of the alphabet, yet no valid base32: the length or the last character
    // is off, which is what a link cut short while copying looks like.
    auto bytes = base32::decode(payload);
    if (!bytes)
        return reject(CardError::Truncated, why, ErrorCode::Malformed,
                      "the contact code is cut short; scan or copy the whole code again");
    return decode(*bytes, now, why);
}

Status ContactCard::sign(const SigningKey& key)
{
    if (key.publicKey != identityKey)
        return Error(ErrorCode::InvalidArgument, "the signing key is not the card's identity key");
    signature = key.sign(signedBytes());
    return success();
}

bool ContactCard::hasValidSignature() const { return verifySignature(identityKey, signedBytes(), signature); }

} // namespace hive::wire
