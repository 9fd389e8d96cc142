// The messaging plugin: metadata, lifecycle and storage like every plugin, the
// `messaging` controller appearing when a backend is attached, and its page: the status
// line without a messenger, the chat list beside the conversation when wide, one of the
// two with a back button when narrow, and a chat's messages once it is opened; a received
// image shows the sender's preview until the file is here, and a failed download a retry.
#include "messaging/messagingplugin.h"
#include "messaging/ui/messagingcontroller.h"
#include "messaging/ui/tests/fakechatbackend.h"

#include "plugintestsupport.h"
#include "testservices.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QtQuickTest/quicktest.h>
#include <QtTest>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <tuple>

using namespace hive::plugins::testing;
using hive::messaging::ui::AttachmentRow;
using hive::messaging::ui::ChatRow;
using hive::messaging::ui::testing::FakeChatBackend;

namespace {

void addChats(FakeChatBackend& backend)
{
    ChatRow bob;
    bob.id = 1;
    bob.title = QStringLiteral("Bob Builder");
    bob.lastText = QStringLiteral("See you at the crag");
    bob.lastActivity = QDateTime::currentMSecsSinceEpoch();
    bob.unread = 1;
    ChatRow group;
    group.id = 2;
    group.title = QStringLiteral("Climbing");
    group.isGroup = true;
    group.members = {QStringLiteral("Bob Builder"), QStringLiteral("Carol")};
    group.memberIds = {3, 4};
    backend.chatRows = {bob, group};
    backend.deliver(1, QStringLiteral("See you at the crag"), false, QDateTime::currentMSecsSinceEpoch());
}

QQuickItem* child(QObject* root, const char* name)
{
    return root->findChild<QQuickItem*>(QLatin1String(name));
}

// An item by name among the visual children of `root`: a Repeater's delegates have a
// parent item but no QObject parent, so findChild does not see them.
QQuickItem* visualChild(QQuickItem* root, const QString& name)
{
    for (QQuickItem* item : root->childItems()) {
        if (item->objectName() == name)
            return item;
        if (QQuickItem* found = visualChild(item, name))
            return found;
    }
    return nullptr;
}

// The visible item of that name below `root` (each delegate has one, most hidden), or null.
QQuickItem* visibleChild(QQuickItem* root, const QString& name)
{
    for (QQuickItem* item : root->childItems()) {
        if (item->objectName() == name && item->isVisible())
            return item;
        if (QQuickItem* found = visibleChild(item, name))
            return found;
    }
    return nullptr;
}

// Active contacts as the People page's model offers them: (id, name, fingerprint).
void fillContacts(QStandardItemModel& contacts, std::initializer_list<std::tuple<qint64, const char*, const char*>> people)
{
    contacts.setItemRoleNames({{Qt::UserRole + 1, "contactId"},
                               {Qt::UserRole + 2, "name"},
                               {Qt::UserRole + 3, "contactState"},
                               {Qt::UserRole + 4, "fingerprint"}});
    for (const auto& [id, name, fingerprint] : people) {
        auto* item = new QStandardItem;
        item->setData(id, Qt::UserRole + 1);
        item->setData(QString::fromUtf8(name), Qt::UserRole + 2);
        item->setData(QStringLiteral("active"), Qt::UserRole + 3);
        item->setData(QString::fromUtf8(fingerprint), Qt::UserRole + 4);
        contacts.appendRow(item);
    }
}

} // namespace

class TestMessagingPlugin : public QObject {
    Q_OBJECT

private:
    // Creates the page for `plugin` in a window of `width` px.
    std::unique_ptr<QObject> showPage(QQmlEngine& engine, QQuickWindow& window, QObject* plugin, int width)
    {
        QQmlComponent component(&engine, qobject_cast<hive::core::Plugin*>(plugin)->page());
        if (!component.isReady()) {
            qWarning("%s", qPrintable(component.errorString()));
            return nullptr;
        }
        std::unique_ptr<QObject> root(component.createWithInitialProperties({{QStringLiteral("plugin"), QVariant::fromValue(plugin)}}));
        if (!root) {
            qWarning("%s", qPrintable(component.errorString()));
            return root;
        }
        auto* page = qobject_cast<QQuickItem*>(root.get());
        window.resize(width, 700);
        page->setParentItem(window.contentItem());
        page->setSize(QSizeF(width, 700));
        window.show();
        if (!QTest::qWaitForWindowExposed(&window) || !QQuickTest::qWaitForPolish(&window))
            qWarning("the window did not show");
        return root;
    }

private slots:
    void metadataIsValid() { verifyMetadata(QStringLiteral("MessagingPlugin"), QStringLiteral("messaging")); }

    void staticInstanceIsThePlugin()
    {
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("MessagingPlugin")));
        QVERIFY(qobject_cast<hive::messaging::MessagingPlugin*>(plugin.get()));
    }

    void initializeCreatesTablesAndReportsState()
    {
        hive::messaging::MessagingPlugin plugin;
        verifyLifecycle(&plugin, QStringLiteral("messaging"), QStringLiteral("messaging_settings"),
                        static_cast<int>(hive::messaging::MessagingPlugin::schema().size()));
    }

    void initializeFailureIsReported()
    {
        hive::messaging::MessagingPlugin plugin;
        verifyInitializeFailureIsReported(&plugin, QStringLiteral("messaging_settings"));
    }

    void attachingABackendPublishesTheController()
    {
        hive::core::TestServices services;
        hive::messaging::MessagingPlugin plugin;
        QVERIFY(plugin.initialize(services.context()).ok());
        QCOMPARE(plugin.messaging(), nullptr);
        const QString waiting = plugin.statusText();
        QSignalSpy changed(&plugin, &hive::messaging::MessagingPlugin::messagingChanged);
        FakeChatBackend backend;
        addChats(backend);
        plugin.attach(backend);
        QCOMPARE(changed.count(), 1);
        auto* controller = qobject_cast<hive::messaging::ui::MessagingController*>(plugin.property("messaging").value<QObject*>());
        QVERIFY(controller != nullptr);
        QCOMPARE(controller->chatList().rowCount(), 2);
        QVERIFY(plugin.statusText().startsWith(QLatin1String("Ready.")));
        QVERIFY(plugin.statusText() != waiting);
        // Shutting down lets go of the backend.
        plugin.shutdown();
        QCOMPARE(plugin.messaging(), nullptr);
        QCOMPARE(changed.count(), 2);
    }

    void pageWithoutMessengerShowsTheStatus()
    {
        // Through the static plugin, so the test proves the pages' resources were linked in.
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("MessagingPlugin")));
        QVERIFY(plugin);
        QQmlEngine engine;
        QQuickWindow window;
        std::unique_ptr<QObject> page = showPage(engine, window, plugin.get(), 1000);
        QVERIFY(page);
        QQuickItem* status = child(page.get(), "statusText");
        QVERIFY(status != nullptr);
        QVERIFY(status->isVisible());
        QCOMPARE(status->property("text").toString(), QStringLiteral("Not started"));
        QVERIFY(!child(page.get(), "chatList")->isVisible());
    }

    void widePageShowsListBesideConversation()
    {
        hive::messaging::MessagingPlugin plugin;
        FakeChatBackend backend;
        addChats(backend);
        plugin.attach(backend);
        QQmlEngine engine;
        QQuickWindow window;
        std::unique_ptr<QObject> page = showPage(engine, window, &plugin, 1000);
        QVERIFY(page);
        QQuickItem* list = child(page.get(), "chatList");
        QQuickItem* messages = child(page.get(), "messageList");
        QVERIFY(list && messages);
        QVERIFY(list->isVisible());
        QTRY_COMPARE(list->property("count").toInt(), 2);
        QVERIFY(child(page.get(), "noChatSelected")->isVisible());

        auto* controller = qobject_cast<hive::messaging::ui::MessagingController*>(plugin.messaging());
        controller->openChat(1);
        QTRY_COMPARE(messages->property("count").toInt(), 1);
        QVERIFY(messages->isVisible());
        QVERIFY(list->isVisible()); // side by side
        QCOMPARE(child(page.get(), "conversationTitle")->property("text").toString(), QStringLiteral("Bob Builder"));
        QVERIFY(!child(page.get(), "keyChangeBanner")->isVisible());

        // A key change pauses sending: banner shown, composer disabled.
        backend.chatRows[0].keyChangeBlocked = true;
        emit backend.chatsChanged();
        QTRY_VERIFY(child(page.get(), "keyChangeBanner")->isVisible());
        QVERIFY(!child(page.get(), "composerField")->isEnabled());
        QVERIFY(!child(page.get(), "sendButton")->isEnabled());
        QSignalSpy openRequested(page.get(), SIGNAL(openRequested(QString)));
        QVERIFY(QMetaObject::invokeMethod(child(page.get(), "reviewKeyButton"), "clicked"));
        QCOMPARE(openRequested.count(), 1);
        QCOMPARE(openRequested.at(0).at(0).toString(), QStringLiteral("people"));
    }

    // Managing a group ticks its members among the contacts and applies only the changes.
    // Members are matched by contact id: a second contact also named "Bob Builder" who is
    // not in the group stays unticked, and ticking him adds him, not the first Bob. The two
    // are told apart on screen by the start of their fingerprints.
    void groupDialogAppliesMemberChanges()
    {
        hive::messaging::MessagingPlugin plugin;
        FakeChatBackend backend;
        addChats(backend);
        plugin.attach(backend);
        QStandardItemModel contacts;
        fillContacts(contacts, {{3, "Bob Builder", "k3aa bbbb cccc dddd"},
                                {4, "Carol", "c4cc dddd eeee ffff"},
                                {5, "Dave", "d5dd eeee ffff gggg"},
                                {6, "Bob Builder", "m6zz yyyy xxxx wwww"}});
        QQmlEngine engine;
        QQuickWindow window;
        std::unique_ptr<QObject> page = showPage(engine, window, &plugin, 1000);
        QVERIFY(page);
        QObject* dialog = page->findChild<QObject*>(QStringLiteral("groupDialog"));
        QVERIFY(dialog != nullptr);
        dialog->setProperty("contacts", QVariant::fromValue(static_cast<QObject*>(&contacts)));
        auto* controller = qobject_cast<hive::messaging::ui::MessagingController*>(plugin.messaging());
        controller->openChat(2);
        QVERIFY(QMetaObject::invokeMethod(dialog, "openFor", Q_ARG(QVariant, QStringLiteral("manage"))));
        QTRY_VERIFY(dialog->property("opened").toBool());
        QVariantList selected = dialog->property("selected").toList();
        std::sort(selected.begin(), selected.end(), [](const QVariant& a, const QVariant& b) { return a.toLongLong() < b.toLongLong(); });
        QCOMPARE(selected, (QVariantList{qint64(3), qint64(4)}));
        // The rows are in the popup's content item, not under the Dialog object.
        auto* rows = qvariant_cast<QQuickItem*>(dialog->property("contentItem"));
        QVERIFY(rows != nullptr);
        QQuickItem* firstBob = visualChild(rows, QStringLiteral("member_3"));
        QQuickItem* secondBob = visualChild(rows, QStringLiteral("member_6"));
        QVERIFY(firstBob && secondBob);
        QCOMPARE(firstBob->property("text").toString(), QStringLiteral("Bob Builder (key k3aa bbbb)"));
        QCOMPARE(secondBob->property("text").toString(), QStringLiteral("Bob Builder (key m6zz yyyy)"));
        QCOMPARE(visualChild(rows, QStringLiteral("member_4"))->property("text").toString(), QStringLiteral("Carol"));
        QVERIFY(firstBob->property("checked").toBool());
        QVERIFY(!secondBob->property("checked").toBool());

        QVERIFY(QMetaObject::invokeMethod(dialog, "toggle", Q_ARG(QVariant, qint64(4)), Q_ARG(QVariant, false)));
        QVERIFY(QMetaObject::invokeMethod(dialog, "toggle", Q_ARG(QVariant, qint64(6)), Q_ARG(QVariant, true)));
        QTRY_VERIFY(secondBob->property("checked").toBool());
        QVERIFY(firstBob->property("checked").toBool());
        backend.calls.clear();
        QVERIFY(QMetaObject::invokeMethod(dialog, "accept"));
        QTRY_VERIFY(backend.calls.contains(QStringLiteral("addMember 2 6")));
        QVERIFY(backend.calls.contains(QStringLiteral("removeMember 2 4")));
        QVERIFY(!backend.calls.contains(QStringLiteral("removeMember 2 3")));
        QVERIFY(!backend.calls.contains(QStringLiteral("addMember 2 3")));
        QVERIFY(!backend.calls.contains(QStringLiteral("renameGroup 2 Climbing")));
    }

    // Two contacts with the same name in the new-chat dialog: shown with the start of their
    // fingerprints, and choosing the second opens the chat with that contact id.
    void newChatDialogTellsNamesakesApart()
    {
        hive::messaging::MessagingPlugin plugin;
        FakeChatBackend backend;
        addChats(backend);
        plugin.attach(backend);
        QStandardItemModel contacts;
        fillContacts(contacts, {{3, "Bob Builder", "k3aa bbbb cccc dddd"},
                                {4, "Carol", "c4cc dddd eeee ffff"},
                                {6, "Bob Builder", "m6zz yyyy xxxx wwww"}});
        QQmlEngine engine;
        QQuickWindow window;
        std::unique_ptr<QObject> page = showPage(engine, window, &plugin, 1000);
        QVERIFY(page);
        QObject* dialog = page->findChild<QObject*>(QStringLiteral("newChatDialog"));
        QVERIFY(dialog != nullptr);
        dialog->setProperty("contacts", QVariant::fromValue(static_cast<QObject*>(&contacts)));
        QVERIFY(QMetaObject::invokeMethod(dialog, "open"));
        QTRY_VERIFY(dialog->property("opened").toBool());
        auto* rows = qvariant_cast<QQuickItem*>(dialog->property("contentItem"));
        QVERIFY(rows != nullptr);
        QQuickItem* firstBob = visualChild(rows, QStringLiteral("contact_3"));
        QQuickItem* secondBob = visualChild(rows, QStringLiteral("contact_6"));
        QVERIFY(firstBob && secondBob);
        QCOMPARE(firstBob->property("text").toString(), QStringLiteral("Bob Builder (key k3aa bbbb)"));
        QCOMPARE(secondBob->property("text").toString(), QStringLiteral("Bob Builder (key m6zz yyyy)"));
        QCOMPARE(visualChild(rows, QStringLiteral("contact_4"))->property("text").toString(), QStringLiteral("Carol"));
        backend.calls.clear();
        QVERIFY(QMetaObject::invokeMethod(secondBob, "clicked"));
        QVERIFY(backend.calls.contains(QStringLiteral("chatWithContact 6")));
        QVERIFY(!backend.calls.contains(QStringLiteral("chatWithContact 3")));

        // The contacts model is reset on every change (ContactListModel::reload): the count
        // of each name must follow, not pile up. Once the second Bob is gone, the first one
        // is plain "Bob Builder" again.
        QVERIFY(QMetaObject::invokeMethod(dialog, "open"));
        QTRY_VERIFY(dialog->property("opened").toBool());
        for (int round = 0; round < 2; ++round) {
            QList<QList<QStandardItem*>> rowsCopy;
            for (int row = 0; row < contacts.rowCount(); ++row)
                rowsCopy << QList<QStandardItem*>{contacts.item(row)->clone()};
            contacts.clear();
            contacts.setItemRoleNames({{Qt::UserRole + 1, "contactId"},
                                       {Qt::UserRole + 2, "name"},
                                       {Qt::UserRole + 3, "contactState"},
                                       {Qt::UserRole + 4, "fingerprint"}});
            for (const auto& row : rowsCopy)
                contacts.appendRow(row);
        }
        QTRY_VERIFY(visualChild(rows, QStringLiteral("contact_4")) != nullptr);
        QCOMPARE(visualChild(rows, QStringLiteral("contact_4"))->property("text").toString(), QStringLiteral("Carol"));
        QCOMPARE(visualChild(rows, QStringLiteral("contact_3"))->property("text").toString(), QStringLiteral("Bob Builder (key k3aa bbbb)"));
        QVERIFY(contacts.removeRow(2));
        QTRY_COMPARE(visualChild(rows, QStringLiteral("contact_3"))->property("text").toString(), QStringLiteral("Bob Builder"));
    }

    void narrowPageShowsOneAtATime()
    {
        hive::messaging::MessagingPlugin plugin;
        FakeChatBackend backend;
        addChats(backend);
        plugin.attach(backend);
        QQmlEngine engine;
        QQuickWindow window;
        std::unique_ptr<QObject> page = showPage(engine, window, &plugin, 400);
        QVERIFY(page);
        QQuickItem* list = child(page.get(), "chatList");
        QVERIFY(list->isVisible());
        QVERIFY(!child(page.get(), "messageList")->isVisible());
        QVERIFY(QMetaObject::invokeMethod(page.get(), "showChat", Q_ARG(QVariant, QVariant(qint64(2)))));
        QTRY_VERIFY(child(page.get(), "messageList")->isVisible());
        QVERIFY(!list->isVisible());
        QQuickItem* back = child(page.get(), "backButton");
        QVERIFY(back->isVisible());
        QVERIFY(QMetaObject::invokeMethod(back, "clicked"));
        QTRY_VERIFY(list->isVisible());
    }

    // The preview box has the final image's size from the start (the preview has its aspect
    // ratio), shows the download's progress over the preview, offers a retry when the
    // download fails, and shows the full image in the same box once the file is here.
    void receivedImageShowsItsPreviewUntilTheFileArrives()
    {
        QImage full(480, 300, QImage::Format_RGB32);
        full.fill(qRgb(60, 120, 160));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fullPath = dir.filePath(QStringLiteral("crag.png"));
        QVERIFY(full.save(fullPath));
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(full.scaled(160, 100).save(&buffer, "JPEG", 60));

        hive::messaging::MessagingPlugin plugin;
        FakeChatBackend backend;
        addChats(backend);
        const qint64 id = backend.deliver(1, QStringLiteral("crag.png"), false, QDateTime::currentMSecsSinceEpoch());
        AttachmentRow file;
        file.fileName = QStringLiteral("crag.png");
        file.mimeType = QStringLiteral("image/png");
        file.size = 600'000;
        file.isImage = true;
        file.thumbnail = jpeg;
        backend.message(id).attachment = file;
        plugin.attach(backend);
        QQmlEngine engine;
        QQuickWindow window;
        std::unique_ptr<QObject> page = showPage(engine, window, &plugin, 1000);
        QVERIFY(page);
        auto* controller = qobject_cast<hive::messaging::ui::MessagingController*>(plugin.messaging());
        controller->openChat(1);
        auto* messages = child(page.get(), "messageList");
        QTRY_COMPARE(messages->property("count").toInt(), 2);

        QQuickItem* preview = nullptr;
        QTRY_VERIFY((preview = visibleChild(messages, QStringLiteral("imagePreview"))) != nullptr);
        QQuickItem* thumb = visualChild(preview, QStringLiteral("imageThumbnail"));
        QVERIFY(thumb);
        QTRY_COMPARE(thumb->property("status").toInt(), 1); // Image.Ready
        QVERIFY(thumb->isVisible());
        QVERIFY(preview->width() > 100);
        const QSizeF box = preview->size();
        QVERIFY2(qAbs(box.height() - box.width() * 300 / 480) < 1.0, qPrintable(QStringLiteral("%1x%2").arg(box.width()).arg(box.height())));

        // Progress over the preview while the download runs.
        QQuickItem* progress = visualChild(preview, QStringLiteral("previewProgress"));
        QVERIFY(progress);
        QVERIFY(!progress->isVisible());
        emit backend.transferProgress(id, 150'000, 600'000);
        QTRY_VERIFY(progress->isVisible());
        QCOMPARE(progress->property("value").toDouble(), 0.25);

        // A failed download says so; tapping the notice asks for the download again.
        emit backend.transferFinished(id, false, QStringLiteral("the sender's node cannot be reached"));
        QQuickItem* failed = nullptr;
        QTRY_VERIFY((failed = visibleChild(messages, QStringLiteral("transferFailed"))) != nullptr);
        QVERIFY(!progress->isVisible());
        QCOMPARE(failed->property("text").toString(), QStringLiteral("Download failed — tap to retry"));
        QVERIFY(QQuickTest::qWaitForPolish(&window));
        const QPoint at = failed->mapToScene(QPointF(failed->width() / 2, failed->height() / 2)).toPoint();
        QTest::mouseClick(&window, Qt::LeftButton, Qt::NoModifier, at);
        QTRY_VERIFY(backend.calls.contains(QStringLiteral("retryTransfer %1").arg(id)));
        QTRY_VERIFY(!failed->isVisible());

        // The file arrived: the full image replaces the preview in a box of the same size.
        backend.message(id).attachment->transferred = 600'000;
        backend.message(id).attachment->localPath = fullPath;
        emit backend.messageChanged(1, id);
        QTRY_VERIFY(!thumb->isVisible());
        QVERIFY(preview->isVisible());
        QCOMPARE(preview->size(), box);

        // The scene graph frees an image's texture on the frame after the image is gone;
        // render one before the window goes, so nothing is left for the leak checker.
        page.reset();
        QSignalSpy rendered(&window, &QQuickWindow::afterRendering);
        window.update();
        QVERIFY(rendered.wait(2000));
    }
};

QTEST_MAIN(TestMessagingPlugin)
#include "test_messagingplugin.moc"
