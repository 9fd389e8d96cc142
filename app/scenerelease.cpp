#include "scenerelease.h"

#include <QCoreApplication>
#include <QEvent>
#include <QQuickWindow>
#include <QSGRendererInterface>

namespace hive::app {

void releaseScene(QQuickWindow& window)
{
    // The Loader deletes its item later; run that now so the images drop their pixmaps.
    if (auto* stage = window.findChild<QObject*>(QStringLiteral("stage")))
        stage->setProperty("active", false);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    // Frees the unreferenced image data; their textures are queued for deletion.
    window.releaseResources();
    // The queue is emptied at the end of the next scene graph sync. A grab syncs and
    // renders even when the window is already closed; other backends delete their
    // textures with the render context, so only the software one needs it.
    const QSGRendererInterface* renderer = window.rendererInterface();
    if (renderer != nullptr && renderer->graphicsApi() == QSGRendererInterface::Software)
        static_cast<void>(window.grabWindow());
}

} // namespace hive::app
