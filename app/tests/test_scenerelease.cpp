// releaseScene on Qt Quick's software scene graph: after it, the texture of an image that
// was on screen has been deleted while the window and engine still exist. Qt 6.4 would
// otherwise keep it (and its pixels) until the process ends, which LeakSanitizer reports.
#include "scenerelease.h"

#include <QImage>
#include <QPointer>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSGTexture>
#include <QSGTextureProvider>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class TestSceneRelease : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // What the app uses without OpenGL (and what test_gui uses under Xvfb).
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    }

    void releaseSceneDeletesImageTextures()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QImage photo(480, 300, QImage::Format_RGB32);
        photo.fill(qRgb(40, 90, 160));
        const QString file = dir.filePath(QStringLiteral("photo.png"));
        QVERIFY(photo.save(file));

        QQmlEngine engine;
        QQmlComponent component(&engine);
        // Like a photo preview in a chat: asynchronous, scaled, inside the page Loader.
        component.setData(QByteArrayLiteral(R"(
            import QtQuick
            Window {
                id: window
                required property url photoUrl
                width: 400; height: 300; visible: true
                Loader {
                    objectName: "stage"
                    anchors.fill: parent
                    sourceComponent: Image {
                        objectName: "photo"
                        asynchronous: true
                        sourceSize.width: 560
                        fillMode: Image.PreserveAspectFit
                        width: 280; height: 175
                        source: window.photoUrl
                    }
                }
            })"),
                          QUrl());
        std::unique_ptr<QObject> root(component.createWithInitialProperties({{QStringLiteral("photoUrl"), QUrl::fromLocalFile(file)}}));
        QVERIFY2(root, qPrintable(component.errorString()));
        auto* window = qobject_cast<QQuickWindow*>(root.get());
        QVERIFY(window != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QObject* stage = window->findChild<QObject*>(QStringLiteral("stage"));
        QVERIFY(stage != nullptr);
        QTRY_VERIFY(stage->property("item").value<QObject*>() != nullptr);
        auto* image = qobject_cast<QQuickItem*>(stage->property("item").value<QObject*>());
        QVERIFY(image != nullptr);
        QTRY_COMPARE(image->property("status").toInt(), 1); // Image.Ready
        // A frame with the image on it creates its texture (the software loop renders on
        // this thread, so the provider may be asked here).
        QVERIFY(!window->grabWindow().isNull());
        QSGTextureProvider* provider = image->textureProvider();
        QVERIFY(provider != nullptr);
        QPointer<QSGTexture> texture = provider->texture();
        QVERIFY(!texture.isNull());
        QCOMPARE(texture->textureSize(), QSize(560, 350));

        window->close();
        hive::app::releaseScene(*window);
        QVERIFY(stage->property("item").value<QObject*>() == nullptr);
        QVERIFY2(texture.isNull(), "the image's texture outlived releaseScene");
    }
};

QTEST_MAIN(TestSceneRelease)
#include "test_scenerelease.moc"
