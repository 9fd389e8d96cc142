// A framed surface for a group of related content. Drawn with plain rectangles instead of
// Material elevation, whose shadow effect needs OpenGL and renders wrongly in Qt Quick's
// software renderer (used on machines without a GPU).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

Pane {
    id: card

    padding: 20
    background: Rectangle {
        radius: 8
        color: card.Material.theme === Material.Dark ? "#2a2623" : "#ffffff"
        border.color: card.Material.dividerColor
        border.width: 1
    }
}
