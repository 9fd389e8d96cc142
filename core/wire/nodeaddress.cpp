#include "nodeaddress.h"

#include "base32.h"

namespace hive::wire {

namespace {

constexpr std::string_view Scheme = "hive://";
constexpr std::size_t KeyTextLength = base32::encodedLength(32);

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowerCase(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(text[i]) != prefix[i])
            return false;
    return true;
}

// "message 'text'" with the offending text quoted (the Error truncates if it is long).
Error quoted(ErrorCode code, std::string_view before, std::string_view text, std::string_view after = {})
{
    Error e(code, before);
    e.append("'").append(text).append("'").append(after);
    return e;
}

// Counts the 16-bit groups of an IPv6 piece without "::"; an IPv4 tail counts as two.
bool ipv6Groups(std::string_view part, bool ipv4TailAllowed, std::size_t& groups)
{
    groups = 0;
    if (part.empty())
        return true;
    std::size_t start = 0;
    while (true) {
        std::size_t colon = part.find(':', start);
        std::string_view group = part.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        bool last = colon == std::string_view::npos;
        if (last && ipv4TailAllowed && group.find('.') != std::string_view::npos) {
            if (!isValidIpv4(group))
                return false;
            groups += 2;
            return true;
        }
        if (group.empty() || group.size() > 4)
            return false;
        for (char c : group)
            if (!isHex(c))
                return false;
        ++groups;
        if (last)
            return true;
        start = colon + 1;
    }
}

} // namespace

bool isValidIpv4(std::string_view text)
{
    std::size_t parts = 0;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = text.find('.', start);
        std::string_view part = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0'))
            return false;
        int value = 0;
        for (char c : part) {
            if (!isDigit(c))
                return false;
            value = value * 10 + (c - '0');
        }
        if (value > 255)
            return false;
        ++parts;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    return parts == 4;
}

bool isValidIpv6(std::string_view text)
{
    if (text.empty() || text.size() > 45)
        return false;
    std::size_t gap = text.find("::");
    if (gap == std::string_view::npos) {
        std::size_t groups = 0;
        return ipv6Groups(text, true, groups) && groups == 8;
    }
    if (text.find("::", gap + 1) != std::string_view::npos)
        return false; // at most one "::" (this also rejects ":::")
    std::size_t head = 0;
    std::size_t tail = 0;
    if (!ipv6Groups(text.substr(0, gap), false, head) || !ipv6Groups(text.substr(gap + 2), true, tail))
        return false;
    return head + tail <= 7; // "::" stands for at least one zero group
}

bool isValidHostName(std::string_view text)
{
    if (text.empty() || text.size() > 253)
        return false;
    std::size_t start = 0;
    std::string_view label;
    while (true) {
        std::size_t dot = text.find('.', start);
        label = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!isAlpha(c) && !isDigit(c) && c != '-')
                return false;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    // An all-numeric last label would make the name look like (a broken) IPv4 address.
    for (char c : label)
        if (!isDigit(c))
            return true;
    return false;
}

Result<NodeAddress> NodeAddress::parse(std::string_view text)
{
    if (text.empty())
        return Error(ErrorCode::InvalidArgument, "node address is empty; expected hive://<node key>@host:port");
    if (!startsWithNoCase(text, Scheme)) {
        std::size_t sep = text.find("://");
        if (sep != std::string_view::npos && sep < 16)
            return quoted(ErrorCode::InvalidArgument, "node address must start with hive://, not ",
                          text.substr(0, sep + 3));
        return Error(ErrorCode::InvalidArgument, "node address must start with hive:// (hive://<node key>@host:port)");
    }
    std::string_view rest = text.substr(Scheme.size());

    std::size_t at = rest.find('@');
    if (at == std::string_view::npos)
        return Error(ErrorCode::InvalidArgument, "node address is missing '@' between the node key and host:port");
    std::string_view keyText = rest.substr(0, at);
    if (keyText.empty())
        return Error(ErrorCode::InvalidArgument, "node address has no node key before '@'");
    if (keyText.size() != KeyTextLength) {
        Error e(ErrorCode::InvalidArgument, "node key must be 32 bytes (52 base32 characters); got ");
        e.appendNumber(static_cast<std::int64_t>(keyText.size())).append(" characters");
        return e;
    }
    auto key = base32::decode(keyText);
    if (!key) {
        Error e(ErrorCode::InvalidArgument, "node key is not valid base32: ");
        return e.append(key.error().messageView());
    }
    NodeAddress address;
    std::copy(key->begin(), key->end(), address.key.begin());

    std::string_view hostPort = rest.substr(at + 1);
    if (hostPort.empty())
        return Error(ErrorCode::InvalidArgument, "node address has no host:port after '@'");

    std::string_view host;
    std::string_view portText;
    if (hostPort.front() == '[') {
        std::size_t close = hostPort.find(']');
        if (close == std::string_view::npos)
            return Error(ErrorCode::InvalidArgument, "IPv6 host must be closed with ']', e.g. [::1]:7000");
        host = hostPort.substr(1, close - 1);
        if (host.empty())
            return Error(ErrorCode::InvalidArgument, "node address has an empty IPv6 host between '[' and ']'");
        if (!isValidIpv6(host))
            return quoted(ErrorCode::InvalidArgument, "", host, " is not a valid IPv6 address");
        std::string_view after = hostPort.substr(close + 1);
        if (after.empty())
            return Error(ErrorCode::InvalidArgument, "node address is missing ':port' after the host");
        if (after.front() != ':')
            return Error(ErrorCode::InvalidArgument, "expected ':port' right after the IPv6 host's ']'");
        portText = after.substr(1);
    } else {
        if (hostPort.find(']') != std::string_view::npos)
            return Error(ErrorCode::InvalidArgument, "IPv6 host has ']' without an opening '['");
        std::size_t colon = hostPort.rfind(':');
        if (colon == std::string_view::npos)
            return Error(ErrorCode::InvalidArgument, "node address is missing ':port' after the host");
        host = hostPort.substr(0, colon);
        portText = hostPort.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            return Error(ErrorCode::InvalidArgument,
                         "IPv6 hosts must be written in brackets, e.g. hive://<key>@[::1]:7000");
        if (host.empty())
            return Error(ErrorCode::InvalidArgument, "node address has an empty host before ':port'");
        bool numeric = true;
        for (char c : host)
            numeric = numeric && (isDigit(c) || c == '.');
        if (numeric) {
            if (!isValidIpv4(host))
                return quoted(ErrorCode::InvalidArgument, "", host, " is not a valid IPv4 address (a.b.c.d, each 0-255)");
        } else if (!isValidHostName(host)) {
            return quoted(ErrorCode::InvalidArgument, "", host,
                          " is not a valid host name (labels of letters, digits and '-', separated by '.')");
        }
    }

    if (portText.empty())
        return Error(ErrorCode::InvalidArgument, "node address has an empty port after ':'");
    for (char c : portText)
        if (!isDigit(c))
            return quoted(ErrorCode::InvalidArgument, "port ", portText, " is not a number (1-65535)");
    if (portText.size() > 1 && portText.front() == '0')
        return quoted(ErrorCode::InvalidArgument, "port ", portText, " must not have leading zeros");
    std::uint32_t port = 0;
    for (char c : portText) {
        port = port * 10 + static_cast<std::uint32_t>(c - '0');
        if (port > 65535)
            break;
    }
    if (port == 0 || port > 65535)
        return quoted(ErrorCode::InvalidArgument, "port ", portText, " is out of range; use 1-65535");

    address.host = lowerCase(host);
    address.port = static_cast<std::uint16_t>(port);
    return address;
}

std::string NodeAddress::toString() const
{
    std::string out(Scheme);
    out += base32::encode(key);
    out += '@';
    if (host.find(':') != std::string::npos) {
        out += '[';
        out += host;
        out += ']';
    } else {
        out += host;
    }
    out += ':';
    out += std::to_string(port);
    return out;
}

} // namespace hive::wire
