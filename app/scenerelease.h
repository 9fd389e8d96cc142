// releaseScene: what `hive` does with its window after the event loop ends, before the
// QML engine goes. It exists for Qt 6.4's software scene graph (used without OpenGL, for
// example under Xvfb): that keeps every image texture cached in its render context and
// does not delete the cache when the last window goes; it deletes a texture only in the
// frame after the image's data was released. Without this, each image shown leaks its
// pixels at exit (a bare QML Image shows the same leak).
#pragma once

class QQuickWindow;

namespace hive::app {

// Unloads the pages (the Loader named "stage"), purges Qt Quick's image cache and, on the
// software scene graph, renders one last empty frame so that the textures are deleted.
void releaseScene(QQuickWindow& window);

} // namespace hive::app
