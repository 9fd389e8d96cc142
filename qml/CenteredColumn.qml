// A scrollable column of limited width, centred in the available space. Forms (onboarding,
// unlock, settings) use it so they read well on a wide desktop and on a phone alike.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ScrollView {
    id: root

    property real maxWidth: 480
    property real margin: 24
    property bool centerVertically: true
    default property alias content: column.data

    contentWidth: availableWidth
    // Only the column decides the content height: tying it to the view's height as well
    // would loop through the scroll bar's visibility.
    contentHeight: column.implicitHeight + 2 * margin
    clip: true

    ColumnLayout {
        id: column
        width: Math.min(root.maxWidth, root.availableWidth - 2 * root.margin)
        x: (root.availableWidth - width) / 2
        y: root.centerVertically
           ? Math.max(root.margin, (root.height - implicitHeight) / 2)
           : root.margin
        spacing: 12
    }
}
