// People -> friend -> "Share resources": give a friend part of the personal node's storage,
// CPU and bandwidth (a signed grant sent to them), and see and revoke what was given.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Dialog {
    id: dialog

    property QtObject trust: null
    property var contactId: 0
    property string contactName: ""
    property string message: ""
    property var grantList: []

    objectName: "shareResourcesDialog"
    title: qsTr("Share resources with %1").arg(contactName)
    modal: true
    anchors.centerIn: parent
    width: parent ? Math.min(parent.width - 32, 520) : 480
    standardButtons: Dialog.Close

    function refresh() {
        grantList = trust ? trust.grants(contactId) : []
    }
    onOpened: {
        message = ""
        refresh()
    }
    Connections {
        target: dialog.trust
        function onGrantsChanged() { dialog.refresh() }
    }

    component ShareRow: RowLayout {
        id: shareRow
        property alias label: rowLabel.text
        property alias value: slider.value
        Layout.fillWidth: true
        spacing: 12
        Label {
            id: rowLabel
            Layout.preferredWidth: 110
        }
        Slider {
            id: slider
            Layout.fillWidth: true
            from: 0
            to: 100
            stepSize: 1
            value: 20
        }
        Label {
            Layout.preferredWidth: 48
            horizontalAlignment: Text.AlignRight
            text: qsTr("%1%").arg(Math.round(slider.value))
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: dialog.Material.secondaryTextColor
            text: qsTr("%1 may use this much of your node. Your node checks every request and stops them at the limit.").arg(dialog.contactName)
        }
        ShareRow { id: storageRow; label: qsTr("Storage") }
        ShareRow { id: cpuRow; label: qsTr("CPU") }
        ShareRow { id: bandwidthRow; label: qsTr("Bandwidth") }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("May share on with their friends")
            }
            SpinBox {
                id: depthBox
                from: 0
                to: 7
                value: 0
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Label {
                Layout.fillWidth: true
                text: qsTr("Days")
            }
            SpinBox {
                id: daysBox
                from: 1
                to: 365
                value: 30
            }
        }
        Button {
            objectName: "giveGrant"
            highlighted: true
            enabled: storageRow.value + cpuRow.value + bandwidthRow.value > 0
            text: qsTr("Give")
            onClicked: dialog.message = dialog.trust.issueGrant(dialog.contactId, storageRow.value, cpuRow.value,
                                                                 bandwidthRow.value, depthBox.value, daysBox.value)
        }
        Label {
            Layout.fillWidth: true
            visible: dialog.message.length > 0
            wrapMode: Text.WordWrap
            color: dialog.Material.color(Material.Red)
            text: dialog.message
        }

        Label {
            Layout.topMargin: 8
            text: qsTr("Given and received")
            font.bold: true
        }
        Label {
            visible: dialog.grantList.length === 0
            color: dialog.Material.secondaryTextColor
            text: qsTr("Nothing shared yet.")
        }
        Repeater {
            model: dialog.grantList
            RowLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: 8
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: (modelData.direction === "given" ? qsTr("Given") : qsTr("Received")) + ": "
                          + qsTr("storage %1%, CPU %2%, bandwidth %3% until %4").arg(modelData.storage).arg(modelData.cpu)
                                .arg(modelData.bandwidth).arg(modelData.expires)
                          + (modelData.state !== "active" ? " (" + (modelData.state === "revoked" ? qsTr("revoked") : qsTr("expired")) + ")" : "")
                }
                Button {
                    flat: true
                    visible: modelData.direction === "given" && modelData.state === "active"
                    text: qsTr("Revoke")
                    onClicked: dialog.message = dialog.trust.revokeGrant(modelData.id)
                }
            }
        }
    }
}
