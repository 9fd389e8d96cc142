// The messaging UI's models and controller over a fake backend: row counts and roles,
// updates on the backend's signals (new messages, state changes, transfer progress,
// typing), day separators, read marking, notifications only while the window is inactive,
// and errors surfacing as text.
#include "fakechatbackend.h"

#include "messaging/ui/chatlistmodel.h"
#include "messaging/ui/conversationmodel.h"
#include "messaging/ui/messagingcontroller.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace hive::messaging::ui;
using hive::messaging::ui::testing::CountingNotifier;
using hive::messaging::ui::testing::FakeChatBackend;

namespace {

QVariant roleOf(const QAbstractItemModel& model, int row, const char* role)
{
    const QHash<int, QByteArray> names = model.roleNames();
    const int key = names.key(role, -1);
    Q_ASSERT(key >= 0);
    return model.data(model.index(row, 0), key);
}

qint64 ms(const QDateTime& when)
{
    return when.toMSecsSinceEpoch();
}

void addChats(FakeChatBackend& backend)
{
    ChatRow bob;
    bob.id = 1;
    bob.title = QStringLiteral("Bob Builder");
    bob.members = {QStringLiteral("Bob Builder")};
    bob.memberIds = {3};
    bob.lastText = QStringLiteral("See you");
    bob.lastActivity = ms(QDateTime::currentDateTime());
    bob.unread = 2;
    ChatRow team;
    team.id = 2;
    team.title = QStringLiteral("climbing");
    team.isGroup = true;
    team.members = {QStringLiteral("Bob Builder"), QStringLiteral("Carol")};
    team.memberIds = {3, 4};
    team.disappearSeconds = 3600;
    backend.chatRows = {bob, team};
}

} // namespace

class TestChatModels : public QObject {
    Q_OBJECT

private slots:
    void chatListShowsEveryChatWithItsRoles()
    {
        FakeChatBackend backend;
        addChats(backend);
        ChatListModel model(backend);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.count(), 2);
        QCOMPARE(model.unreadTotal(), 2);
        QCOMPARE(roleOf(model, 0, "title").toString(), QStringLiteral("Bob Builder"));
        QCOMPARE(roleOf(model, 0, "chatId").toLongLong(), 1);
        QCOMPARE(roleOf(model, 0, "lastText").toString(), QStringLiteral("See you"));
        QCOMPARE(roleOf(model, 0, "unread").toInt(), 2);
        QCOMPARE(roleOf(model, 0, "initials").toString(), QStringLiteral("BB"));
        QVERIFY(!roleOf(model, 0, "timeText").toString().isEmpty());
        QCOMPARE(roleOf(model, 1, "isGroup").toBool(), true);
        QCOMPARE(roleOf(model, 1, "members").toStringList().size(), 2);
        QCOMPARE(roleOf(model, 1, "memberIds").toList(), (QVariantList{qint64(3), qint64(4)}));
        QCOMPARE(model.chat(1).value(QStringLiteral("memberIds")).toList(), QVariantList{qint64(3)});
        QCOMPARE(roleOf(model, 1, "disappearSeconds").toInt(), 3600);
        QVERIFY(!roleOf(model, 1, "lastActivity").toDateTime().isValid());
        QCOMPARE(roleOf(model, 1, "timeText").toString(), QString());
        QCOMPARE(model.chat(2).value(QStringLiteral("title")).toString(), QStringLiteral("climbing"));
        QVERIFY(model.chat(99).isEmpty());
        QCOMPARE(model.findChat(QStringLiteral("climbing")), 2);
        QCOMPARE(model.findChat(QStringLiteral("nobody")), 0);
    }

    void chatListFollowsTheBackend()
    {
        FakeChatBackend backend;
        addChats(backend);
        ChatListModel model(backend);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy unread(&model, &ChatListModel::unreadTotalChanged);

        backend.deliver(2, QStringLiteral("rope?"), false, ms(QDateTime::currentDateTime()));
        QCOMPARE(roleOf(model, 1, "lastText").toString(), QStringLiteral("rope?"));
        QCOMPARE(model.unreadTotal(), 3);
        QCOMPARE(unread.count(), 1);
        QCOMPARE(reset.count(), 0); // same chats, updated in place
        QVERIFY(changed.count() >= 1);

        emit backend.typingChanged(1, true);
        QCOMPARE(roleOf(model, 0, "typing").toBool(), true);
        emit backend.typingChanged(1, false);
        QCOMPARE(roleOf(model, 0, "typing").toBool(), false);

        QSignalSpy count(&model, &ChatListModel::countChanged);
        backend.chatRows.pop_back();
        emit backend.chatsChanged();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(count.count(), 1);
        QCOMPARE(reset.count(), 1);

        QSignalSpy failed(&model, &ChatListModel::failed);
        backend.failNext = true;
        emit backend.chatsChanged();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(model.rowCount(), 1); // keeps what it showed
    }

    void timeTextIsRelativeToNow()
    {
        const QDateTime now(QDate(2026, 11, 22), QTime(15, 0));
        QCOMPARE(ChatListModel::timeText(QDateTime(QDate(2026, 11, 22), QTime(9, 5)), now),
                 QLocale().toString(QTime(9, 5), QLocale::ShortFormat));
        QCOMPARE(ChatListModel::timeText(QDateTime(QDate(2026, 11, 21), QTime(23, 0)), now), QStringLiteral("Yesterday"));
        QCOMPARE(ChatListModel::timeText(QDateTime(QDate(2026, 11, 18), QTime(8, 0)), now),
                 QLocale().dayName(3, QLocale::ShortFormat));
        QCOMPARE(ChatListModel::timeText(QDateTime(QDate(2026, 1, 2), QTime(8, 0)), now),
                 QLocale().toString(QDate(2026, 1, 2), QLocale::ShortFormat));
        QCOMPARE(ChatListModel::initials(QStringLiteral("  ")), QStringLiteral("?"));
        QCOMPARE(ChatListModel::initials(QStringLiteral("émile")), QStringLiteral("É"));
    }

    void conversationShowsTheChatsMessages()
    {
        FakeChatBackend backend;
        addChats(backend);
        const QDateTime yesterday = QDateTime::currentDateTime().addDays(-1);
        const qint64 first = backend.deliver(1, QStringLiteral("hello"), false, ms(yesterday));
        const qint64 second = backend.deliver(1, QStringLiteral("hi Bob"), true, ms(QDateTime::currentDateTime()));
        backend.deliver(2, QStringLiteral("other chat"), false, ms(QDateTime::currentDateTime()));
        backend.message(second).state = MessageRow::State::Read;

        ConversationModel model(backend);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy chatChanged(&model, &ConversationModel::chatIdChanged);
        model.setChatId(1);
        QCOMPARE(chatChanged.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(roleOf(model, 0, "messageId").toLongLong(), first);
        QCOMPARE(roleOf(model, 0, "text").toString(), QStringLiteral("hello"));
        QCOMPARE(roleOf(model, 0, "outgoing").toBool(), false);
        QCOMPARE(roleOf(model, 0, "senderName").toString(), QStringLiteral("Bob"));
        QCOMPARE(roleOf(model, 0, "state").toString(), QStringLiteral("delivered"));
        QCOMPARE(roleOf(model, 0, "dayText").toString(), QStringLiteral("Yesterday"));
        QCOMPARE(roleOf(model, 1, "dayText").toString(), QStringLiteral("Today"));
        // Day separators are ListView sections over "day": one key per calendar day.
        QVERIFY(roleOf(model, 0, "day").toString() != roleOf(model, 1, "day").toString());
        QCOMPARE(roleOf(model, 1, "outgoing").toBool(), true);
        QCOMPARE(roleOf(model, 1, "state").toString(), QStringLiteral("read"));
        QCOMPARE(roleOf(model, 1, "stateMark").toString(), QStringLiteral("✓✓"));
        QCOMPARE(roleOf(model, 1, "stateText").toString(), QStringLiteral("Read"));
        QCOMPARE(roleOf(model, 1, "hasAttachment").toBool(), false);
        QVERIFY(!roleOf(model, 1, "expiresAt").toDateTime().isValid());
        QCOMPARE(roleOf(model, 1, "disappears").toBool(), false);
        QCOMPARE(model.indexOfMessage(second), 1);
        QCOMPARE(model.indexOfMessage(12345), -1);

        model.setChatId(0);
        QCOMPARE(model.rowCount(), 0);
    }

    void conversationAppendsAndUpdatesInPlace()
    {
        FakeChatBackend backend;
        addChats(backend);
        backend.deliver(1, QStringLiteral("one"), false, ms(QDateTime::currentDateTime()));
        ConversationModel model(backend);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChatId(1);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        const qint64 sent = backend.deliver(1, QStringLiteral("two"), true, ms(QDateTime::currentDateTime()));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);
        QCOMPARE(roleOf(model, 1, "state").toString(), QStringLiteral("pending"));

        // A message to another chat does not touch this one.
        backend.deliver(2, QStringLiteral("elsewhere"), false, ms(QDateTime::currentDateTime()));
        QCOMPARE(model.rowCount(), 2);

        backend.message(sent).state = MessageRow::State::Sent;
        emit backend.messageChanged(1, sent);
        QCOMPARE(roleOf(model, 1, "stateMark").toString(), QStringLiteral("✓"));
        backend.message(sent).state = MessageRow::State::Delivered;
        emit backend.messageChanged(1, sent);
        QCOMPARE(roleOf(model, 1, "state").toString(), QStringLiteral("delivered"));
        QCOMPARE(roleOf(model, 1, "stateMark").toString(), QStringLiteral("✓✓"));
        backend.message(sent).state = MessageRow::State::Failed;
        emit backend.messageChanged(1, sent);
        QCOMPARE(roleOf(model, 1, "stateText").toString(), QStringLiteral("Not sent"));
        QCOMPARE(changed.count(), 3);
        QCOMPARE(changed.last().at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(reset.count(), 0);

        // A disappearing message that expired is gone after the next change.
        backend.messageRows.erase(backend.messageRows.begin());
        emit backend.chatsChanged();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(roleOf(model, 0, "text").toString(), QStringLiteral("two"));
    }

    void attachmentRowsShowProgress()
    {
        FakeChatBackend backend;
        addChats(backend);
        const qint64 id = backend.deliver(1, QString(), true, ms(QDateTime::currentDateTime()));
        AttachmentRow file;
        file.fileName = QStringLiteral("summit.png");
        file.mimeType = QStringLiteral("image/png");
        file.size = 2'000'000;
        file.localPath = QStringLiteral("/tmp/summit.png");
        file.isImage = true;
        backend.message(id).attachment = file;
        backend.message(id).expiresAt = ms(QDateTime::currentDateTime().addSecs(600));

        ConversationModel model(backend);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChatId(1);
        QCOMPARE(roleOf(model, 0, "hasAttachment").toBool(), true);
        QCOMPARE(roleOf(model, 0, "fileName").toString(), QStringLiteral("summit.png"));
        QCOMPARE(roleOf(model, 0, "isImage").toBool(), true);
        QCOMPARE(roleOf(model, 0, "localUrl").toUrl(), QUrl::fromLocalFile(QStringLiteral("/tmp/summit.png")));
        QCOMPARE(roleOf(model, 0, "progress").toDouble(), 0.0);
        QCOMPARE(roleOf(model, 0, "sizeText").toString(), ConversationModel::sizeText(2'000'000));
        QVERIFY(roleOf(model, 0, "expiresAt").toDateTime().isValid());
        QCOMPARE(roleOf(model, 0, "disappears").toBool(), true);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        emit backend.transferProgress(id, 500'000, 2'000'000);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(roleOf(model, 0, "transferred").toLongLong(), 500'000);
        QCOMPARE(roleOf(model, 0, "progress").toDouble(), 0.25);
        emit backend.transferProgress(id, 2'000'000, 2'000'000);
        QCOMPARE(roleOf(model, 0, "progress").toDouble(), 1.0);
        // Progress of a message not shown changes nothing.
        emit backend.transferProgress(id + 77, 1, 2);
        QCOMPARE(changed.count(), 2);
    }

    void imageRowsCarryTheirThumbnailAsADataUrl()
    {
        FakeChatBackend backend;
        addChats(backend);
        const qint64 photo = backend.deliver(1, QString(), false, ms(QDateTime::currentDateTime()));
        const qint64 plain = backend.deliver(1, QString(), false, ms(QDateTime::currentDateTime()));
        // Bytes the model must not touch beyond encoding them (it never decodes the JPEG).
        const QByteArray jpeg = QByteArray::fromHex("ffd8ffe000104a46494600010100000100010000ffd9") + QByteArray(300, '\xab');
        AttachmentRow image;
        image.fileName = QStringLiteral("summit.jpg");
        image.mimeType = QStringLiteral("image/jpeg");
        image.size = 3'000'000;
        image.isImage = true;
        image.thumbnail = jpeg;
        backend.message(photo).attachment = image;
        AttachmentRow file;
        file.fileName = QStringLiteral("notes.pdf");
        file.size = 1000;
        backend.message(plain).attachment = file;

        ConversationModel model(backend);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChatId(1);
        QCOMPARE(model.rowCount(), 2);
        const QString url = roleOf(model, 0, "thumbnail").toString();
        const QString prefix = QStringLiteral("data:image/jpeg;base64,");
        QVERIFY(url.startsWith(prefix));
        QCOMPARE(QByteArray::fromBase64(url.mid(prefix.size()).toLatin1(), QByteArray::AbortOnBase64DecodingErrors), jpeg);
        // Still downloading: the view shows the preview, there is no local file yet.
        QVERIFY(roleOf(model, 0, "localUrl").toUrl().isEmpty());
        QCOMPARE(roleOf(model, 1, "thumbnail").toString(), QString());

        // A preview that arrives later (the row is re-read) updates the row in place.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        backend.message(plain).attachment->thumbnail = QByteArray("\xff\xd8\xff\xd9", 4);
        emit backend.messageChanged(1, plain);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(roleOf(model, 1, "thumbnail").toString(), prefix + QStringLiteral("/9j/2Q=="));
    }

    void failedTransfersSurfaceAndCanBeRetried()
    {
        FakeChatBackend backend;
        addChats(backend);
        const qint64 id = backend.deliver(1, QString(), false, ms(QDateTime::currentDateTime()));
        const qint64 other = backend.deliver(1, QStringLiteral("hi"), false, ms(QDateTime::currentDateTime()));
        AttachmentRow file;
        file.fileName = QStringLiteral("summit.jpg");
        file.size = 2'000'000;
        file.isImage = true;
        backend.message(id).attachment = file;
        CountingNotifier notifier;
        MessagingController controller(backend, notifier);
        controller.openChat(1);
        ConversationModel& model = controller.conversationModel();
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), false);
        QCOMPARE(roleOf(model, 0, "transferError").toString(), QString());

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        emit backend.transferFinished(id, false, QStringLiteral("the sender's node cannot be reached"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), true);
        QCOMPARE(roleOf(model, 0, "transferError").toString(), QStringLiteral("the sender's node cannot be reached"));
        QCOMPARE(roleOf(model, 1, "transferFailed").toBool(), false);
        // The mark outlives a re-read of the chat (the messenger does not store it).
        emit backend.messageChanged(1, other);
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), true);

        // A retry the backend refuses keeps the mark with the new reason.
        backend.failNext = true;
        QVERIFY(!controller.retryTransfer(id));
        QVERIFY(backend.calls.contains(QStringLiteral("retryTransfer %1").arg(id)));
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), true);
        QVERIFY(roleOf(model, 0, "transferError").toString().contains(QLatin1String("cannot be reached")));
        QVERIFY(!controller.errorText().isEmpty());
        // One that starts clears it.
        QVERIFY(controller.retryTransfer(id));
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), false);
        QVERIFY(controller.errorText().isEmpty());

        // Failing again, then progress (the app restarted the download itself) clears it too.
        emit backend.transferFinished(id, false, QStringLiteral("hash mismatch"));
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), true);
        emit backend.transferProgress(id, 1000, 2'000'000);
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), false);
        emit backend.transferFinished(id, false, QStringLiteral("hash mismatch"));
        emit backend.transferFinished(id, true, QString());
        QCOMPARE(roleOf(model, 0, "transferFailed").toBool(), false);
        // A success of a message that never failed changes nothing.
        changed.clear();
        emit backend.transferFinished(other, true, QString());
        QCOMPARE(changed.count(), 0);
    }

    void loadOlderPrependsHistory()
    {
        FakeChatBackend backend;
        addChats(backend);
        const QDateTime start = QDateTime::currentDateTime().addDays(-3);
        for (int i = 0; i < ConversationModel::PageSize + 30; ++i)
            backend.deliver(1, QString::number(i), i % 2 == 0, ms(start.addSecs(i * 60)));
        ConversationModel model(backend);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChatId(1);
        QCOMPARE(model.rowCount(), ConversationModel::PageSize);
        QCOMPARE(roleOf(model, 0, "text").toString(), QStringLiteral("30"));
        QCOMPARE(model.loadOlder(), 30);
        QCOMPARE(model.rowCount(), ConversationModel::PageSize + 30);
        QCOMPARE(roleOf(model, 0, "text").toString(), QStringLiteral("0"));
        QCOMPARE(model.loadOlder(), 0);
        // A new message keeps the loaded history.
        backend.deliver(1, QStringLiteral("new"), false, ms(QDateTime::currentDateTime()));
        QCOMPARE(model.rowCount(), ConversationModel::PageSize + 31);
        QCOMPARE(roleOf(model, 0, "text").toString(), QStringLiteral("0"));
    }

    void controllerSendsAndReportsErrors()
    {
        FakeChatBackend backend;
        addChats(backend);
        CountingNotifier notifier;
        MessagingController controller(backend, notifier);
        QVERIFY(!controller.sendText(QStringLiteral("nobody")));
        controller.openChat(1);
        QCOMPARE(controller.currentChatId(), 1);
        QCOMPARE(controller.currentChat().value(QStringLiteral("title")).toString(), QStringLiteral("Bob Builder"));
        QVERIFY(controller.sendText(QStringLiteral("  hello  ")));
        QVERIFY(backend.calls.contains(QStringLiteral("sendText 1 hello")));
        QCOMPARE(controller.conversationModel().rowCount(), 1);
        QVERIFY(!controller.sendText(QStringLiteral("   ")));

        backend.failNext = true;
        QVERIFY(!controller.sendText(QStringLiteral("blocked")));
        QVERIFY(controller.errorText().contains(QLatin1String("key changed")));
        QVERIFY(controller.sendText(QStringLiteral("after")));
        QVERIFY(controller.errorText().isEmpty());

        QVERIFY(!controller.sendFile(QUrl(QStringLiteral("https://example.org/x"))));
        QVERIFY(!controller.errorText().isEmpty());
        QVERIFY(controller.sendFile(QUrl::fromLocalFile(QStringLiteral("/tmp/a.bin"))));
        QVERIFY(backend.calls.contains(QStringLiteral("sendFile 1 /tmp/a.bin")));

        QCOMPARE(controller.search(QStringLiteral("hell")).size(), 1);
        QCOMPARE(controller.search(QStringLiteral("hell")).at(0).toMap().value(QStringLiteral("senderName")).toString(),
                 QStringLiteral("You"));
        QVERIFY(controller.search(QStringLiteral(" ")).isEmpty());
    }

    void controllerManagesGroups()
    {
        FakeChatBackend backend;
        addChats(backend);
        CountingNotifier notifier;
        MessagingController controller(backend, notifier);
        QCOMPARE(controller.createGroup(QStringLiteral(" "), {}), 0);
        QVERIFY(!controller.errorText().isEmpty());
        const qint64 group = controller.createGroup(QStringLiteral("Crag crew"), {QVariant(qint64(3)), QVariant(qint64(4))});
        QVERIFY(group != 0);
        QVERIFY(backend.calls.contains(QStringLiteral("createGroup Crag crew 3,4")));
        QCOMPARE(controller.currentChatId(), group);
        QCOMPARE(controller.chatList().rowCount(), 3);
        QVERIFY(controller.renameGroup(QStringLiteral("Crag")));
        QVERIFY(controller.addMember(5));
        QVERIFY(controller.removeMember(3));
        QVERIFY(controller.setDisappearing(300));
        QVERIFY(backend.calls.contains(QStringLiteral("renameGroup %1 Crag").arg(group)));
        QVERIFY(backend.calls.contains(QStringLiteral("addMember %1 5").arg(group)));
        QVERIFY(backend.calls.contains(QStringLiteral("removeMember %1 3").arg(group)));
        QVERIFY(backend.calls.contains(QStringLiteral("setDisappearing %1 300").arg(group)));
        QCOMPARE(controller.openContact(7), 507);
        QCOMPARE(controller.currentChatId(), 507);
    }

    // Two contacts with the same name: the chat's memberIds tell them apart, and adding or
    // removing one of them changes that one only.
    void groupMembersAreKnownByContactIdNotName()
    {
        FakeChatBackend backend;
        const QString bob = QStringLiteral("Bob Builder");
        backend.contactNames = {{3, bob}, {4, QStringLiteral("Carol")}, {6, bob}};
        CountingNotifier notifier;
        MessagingController controller(backend, notifier);
        const qint64 group = controller.createGroup(QStringLiteral("Twins"), {QVariant(qint64(3)), QVariant(qint64(4))});
        QVERIFY(group != 0);
        const auto members = [&] { return controller.currentChat().value(QStringLiteral("members")).toStringList(); };
        const auto memberIds = [&] { return controller.currentChat().value(QStringLiteral("memberIds")).toList(); };
        QCOMPARE(members(), (QStringList{bob, QStringLiteral("Carol")}));
        QCOMPARE(memberIds(), (QVariantList{qint64(3), qint64(4)}));

        QSignalSpy changed(&controller, &MessagingController::currentChatChanged);
        QVERIFY(controller.addMember(6));
        QVERIFY(changed.count() > 0);
        QCOMPARE(members(), (QStringList{bob, QStringLiteral("Carol"), bob}));
        QCOMPARE(memberIds(), (QVariantList{qint64(3), qint64(4), qint64(6)}));

        QVERIFY(controller.removeMember(3));
        QVERIFY(backend.calls.contains(QStringLiteral("removeMember %1 3").arg(group)));
        QVERIFY(!backend.calls.contains(QStringLiteral("removeMember %1 6").arg(group)));
        QCOMPARE(members(), (QStringList{QStringLiteral("Carol"), bob}));
        QCOMPARE(memberIds(), (QVariantList{qint64(4), qint64(6)}));
    }

    void openChatIsMarkedReadOnlyWhileTheWindowIsActive()
    {
        FakeChatBackend backend;
        addChats(backend);
        CountingNotifier notifier;
        MessagingController controller(backend, notifier);
        controller.openChat(1);
        QVERIFY(!backend.calls.contains(QStringLiteral("markRead 1")));
        controller.setWindowActive(true);
        QVERIFY(backend.calls.contains(QStringLiteral("markRead 1")));
        QCOMPARE(controller.chatList().unreadTotal(), 0);

        backend.calls.clear();
        backend.deliver(1, QStringLiteral("seen at once"), false, ms(QDateTime::currentDateTime()));
        QVERIFY(backend.calls.contains(QStringLiteral("markRead 1")));
        backend.calls.clear();
        backend.deliver(2, QStringLiteral("other chat stays unread"), false, ms(QDateTime::currentDateTime()));
        QVERIFY(!backend.calls.contains(QStringLiteral("markRead 2")));
        QCOMPARE(controller.chatList().unreadTotal(), 1);
    }

    void notificationsOnlyWhenTheWindowIsInactive()
    {
        FakeChatBackend backend;
        addChats(backend);
        CountingNotifier notifier;
        MessagingController controller(backend, notifier);
        controller.setWindowActive(true);
        emit backend.notification(1, QStringLiteral("Bob Builder"), QStringLiteral("hi"));
        QCOMPARE(notifier.shown.size(), 0);
        controller.setWindowActive(false);
        emit backend.notification(1, QStringLiteral("Bob Builder"), QStringLiteral("hi"));
        QCOMPARE(notifier.shown, QStringList{QStringLiteral("Bob Builder: hi")});
        QCOMPARE(controller.notificationsShown(), 1);
    }

    void typingIsSentOnceAndStopsOnSend()
    {
        FakeChatBackend backend;
        addChats(backend);
        CountingNotifier notifier;
        MessagingController controller(backend, notifier);
        controller.openChat(1);
        controller.composing(true);
        controller.composing(true);
        QCOMPARE(backend.calls.count(QStringLiteral("setTyping 1 1")), 1);
        QVERIFY(controller.sendText(QStringLiteral("done")));
        QCOMPARE(backend.calls.count(QStringLiteral("setTyping 1 0")), 1);
        controller.composing(true);
        controller.openChat(2); // leaving the chat ends typing there
        QCOMPARE(backend.calls.count(QStringLiteral("setTyping 1 0")), 2);

        emit backend.typingChanged(2, true);
        QVERIFY(controller.peerTyping());
        controller.setTypingIndicators(false);
        QVERIFY(!backend.typing);
        controller.setReadReceipts(false);
        QVERIFY(!controller.readReceipts());
    }
};

QTEST_GUILESS_MAIN(TestChatModels)
#include "test_chatmodels.moc"
