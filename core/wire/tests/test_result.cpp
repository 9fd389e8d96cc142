#include "wire/result.h"

#include <QtTest>
#include <memory>
#include <string>

using namespace hive;

namespace {
Result<int> parsePositive(int v)
{
    if (v <= 0)
        return Error(ErrorCode::InvalidArgument, "value must be positive");
    return v;
}

Result<int> doubled(int v)
{
    int x = HIVE_TRY(parsePositive(v));
    return x * 2;
}

Status checkBoth(int a, int b)
{
    HIVE_CHECK(parsePositive(a));
    HIVE_CHECK(parsePositive(b));
    return success();
}
} // namespace

class TestResult : public QObject {
    Q_OBJECT
private slots:
    void valueAndErrorSides()
    {
        Result<int> good = 5;
        QVERIFY(good.ok());
        QCOMPARE(*good, 5);
        Result<int> bad = Error(ErrorCode::NotFound, "no such contact");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code(), ErrorCode::NotFound);
        QCOMPARE(std::string(bad.error().message()), std::string("no such contact"));
    }
    void tryPropagatesTheFirstError()
    {
        QCOMPARE(*doubled(4), 8);
        auto r = doubled(-1);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), ErrorCode::InvalidArgument);
        QVERIFY(checkBoth(1, 2).ok());
        QCOMPARE(checkBoth(1, 0).error().code(), ErrorCode::InvalidArgument);
    }
    void moveOnlyValues()
    {
        Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
        std::unique_ptr<int> p = r.release();
        QCOMPARE(*p, 7);
    }
    void errorMessagesAreBoundedAndComposable()
    {
        Error e(ErrorCode::Io, std::string(1000, 'x'));
        QCOMPARE(e.messageView().size(), Error::MaxMessage);
        Error c = Error(ErrorCode::Corrupt, "bad header").withContext("opening vault");
        QCOMPARE(std::string(c.message()), std::string("opening vault: bad header"));
        Error n(ErrorCode::TooLarge, "size ");
        n.appendNumber(-42);
        QCOMPARE(std::string(n.message()), std::string("size -42"));
    }
};

QTEST_APPLESS_MAIN(TestResult)
#include "test_result.moc"
