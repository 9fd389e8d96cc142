// The in-window notice for the trust network: a friend request arrived, someone accepted
// ours. Shown on every page for a few seconds; "Show" opens People.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Popup {
    id: notice

    property QtObject trust: null
    property string title: ""
    property string text: ""

    signal openRequested()

    objectName: "trustNotice"
    x: parent ? (parent.width - width) / 2 : 0
    y: 12
    width: parent ? Math.min(parent.width - 24, 480) : 360
    padding: 14
    closePolicy: Popup.CloseOnEscape
    Material.elevation: 6

    Connections {
        target: notice.trust
        function onNotice(title, text) {
            notice.title = title
            notice.text = text
            notice.open()
            hideTimer.restart()
        }
    }
    Timer {
        id: hideTimer
        interval: 8000
        onTriggered: notice.close()
    }

    contentItem: RowLayout {
        spacing: 12
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: notice.title
                font.bold: true
                elide: Text.ElideRight
            }
            Label {
                Layout.fillWidth: true
                text: notice.text
                wrapMode: Text.WordWrap
            }
        }
        Button {
            flat: true
            text: qsTr("Show")
            onClicked: {
                notice.close()
                notice.openRequested()
            }
        }
    }
}
