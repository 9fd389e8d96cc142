// The top of the navigation: the Hive mark and name.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Pane {
    id: header

    required property QtObject controller

    padding: 16
    background: null

    RowLayout {
        anchors.fill: parent
        spacing: 12
        HiveLogo {
            Layout.preferredWidth: 36
            Layout.preferredHeight: 36
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("Hive")
            font.pixelSize: 22
            font.bold: true
            elide: Text.ElideRight
        }
    }
}
