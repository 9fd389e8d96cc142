// Settings -> Node: the personal node this profile uses (normally the hive-node the app
// runs itself), how the connection is doing and how full its store is; lets the person use
// another node by address, go back to the local one, or move the local one to another port.
// Binds to controller.node (a PersonalNode), which is null until the profile is unlocked.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

Card {
    id: root

    required property QtObject controller
    readonly property QtObject node: controller ? controller.node : null
    readonly property bool narrow: width < 480
    property string message: ""
    property bool failed: false

    function stateText(state) {
        switch (state) {
        case "connected": return qsTr("Connected")
        case "connecting": return qsTr("Connecting…")
        case "failed": return qsTr("Cannot connect")
        default: return qsTr("Not connected")
        }
    }
    function localStateText(state) {
        switch (state) {
        case "starting": return qsTr("starting")
        case "running": return qsTr("running")
        case "restarting": return qsTr("restarting")
        case "failed": return qsTr("failed")
        default: return qsTr("stopped")
        }
    }
    function roleText(role) {
        switch (role) {
        case "owner": return qsTr("Owner")
        case "friend": return qsTr("Friend")
        case "anonymous": return qsTr("Anonymous")
        default: return "—"
        }
    }
    function bytesText(bytes) {
        if (bytes < 1024)
            //: %1 is a number of bytes.
            return qsTr("%1 B").arg(bytes)
        if (bytes < 1024 * 1024)
            //: %1 is a size in kibibytes.
            return qsTr("%1 KiB").arg((bytes / 1024).toFixed(1))
        if (bytes < 1024 * 1024 * 1024)
            //: %1 is a size in mebibytes.
            return qsTr("%1 MiB").arg((bytes / (1024 * 1024)).toFixed(1))
        //: %1 is a size in gibibytes.
        return qsTr("%1 GiB").arg((bytes / (1024 * 1024 * 1024)).toFixed(1))
    }
    function uptimeText(seconds) {
        const days = Math.floor(seconds / 86400)
        const hours = Math.floor(seconds % 86400 / 3600)
        const minutes = Math.floor(seconds % 3600 / 60)
        //: Uptime: %1 days, %2 hours, %3 minutes.
        if (days > 0) return qsTr("%1 d %2 h %3 min").arg(days).arg(hours).arg(minutes)
        //: Uptime: %1 hours, %2 minutes.
        if (hours > 0) return qsTr("%1 h %2 min").arg(hours).arg(minutes)
        //: Uptime: %1 minutes, %2 seconds.
        return qsTr("%1 min %2 s").arg(minutes).arg(seconds % 60)
    }
    function report(error, success) {
        failed = error.length > 0
        message = failed ? error : success
    }

    Layout.fillWidth: true

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: qsTr("Node")
            font.bold: true
            font.pixelSize: 16
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: root.Material.secondaryTextColor
            text: qsTr("Your personal node keeps your mailbox, presence and backups. Hive runs one on this computer unless you choose another.")
        }
        Label {
            Layout.fillWidth: true
            visible: root.node === null
            wrapMode: Text.WordWrap
            text: qsTr("The node is not available until the profile is unlocked.")
        }

        GridLayout {
            Layout.fillWidth: true
            visible: root.node !== null
            columns: root.narrow ? 1 : 2
            columnSpacing: 16
            rowSpacing: root.narrow ? 2 : 8

            Label {
                Layout.topMargin: root.narrow ? 6 : 0
                color: root.Material.secondaryTextColor
                text: qsTr("Address")
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 4
                TextEdit {
                    id: addressText
                    objectName: "nodeAddress"
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.WrapAnywhere
                    font.family: "monospace"
                    font.pixelSize: 13
                    color: root.Material.foreground
                    selectionColor: root.Material.accent
                    text: root.node && root.node.address.length > 0 ? root.node.address : "—"
                }
                ToolButton {
                    objectName: "copyNodeAddress"
                    enabled: root.node !== null && root.node.address.length > 0
                    text: qsTr("Copy")
                    onClicked: {
                        addressText.selectAll()
                        addressText.copy()
                        addressText.deselect()
                        root.report("", qsTr("The address has been copied."))
                    }
                }
            }

            Label {
                Layout.topMargin: root.narrow ? 6 : 0
                color: root.Material.secondaryTextColor
                text: qsTr("Runs on")
            }
            Label {
                objectName: "nodeKind"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: !root.node ? "" : root.node.usingLocalNode
                      //: %1 is the local node's state (running, starting, ...), %2 its port.
                      ? qsTr("This computer (%1, port %2)").arg(root.localStateText(root.node.localNodeState))
                                                          .arg(root.node.localPort)
                      : qsTr("Another node")
            }

            Label {
                Layout.topMargin: root.narrow ? 6 : 0
                color: root.Material.secondaryTextColor
                text: qsTr("Connection")
            }
            Label {
                objectName: "nodeConnection"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: root.node && root.node.connectionState === "connected" ? root.Material.color(Material.Green)
                     : root.node && root.node.connectionState === "failed" ? root.Material.color(Material.Red)
                     : root.Material.foreground
                text: root.node ? root.stateText(root.node.connectionState) : ""
            }

            Label {
                Layout.topMargin: root.narrow ? 6 : 0
                color: root.Material.secondaryTextColor
                text: qsTr("Your role")
            }
            Label {
                objectName: "nodeRole"
                text: root.node ? root.roleText(root.node.role) : ""
            }

            Label {
                Layout.topMargin: root.narrow ? 6 : 0
                color: root.Material.secondaryTextColor
                text: qsTr("Uptime")
            }
            Label {
                objectName: "nodeUptime"
                text: root.node && root.node.statusAvailable ? root.uptimeText(root.node.uptimeSeconds) : "—"
            }

            Label {
                Layout.topMargin: root.narrow ? 6 : 0
                Layout.alignment: Qt.AlignTop
                color: root.Material.secondaryTextColor
                text: qsTr("Storage")
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                ProgressBar {
                    objectName: "nodeStoreBar"
                    Layout.fillWidth: true
                    visible: root.node !== null && root.node.statusAvailable && root.node.storeCapacityBytes > 0
                    from: 0
                    to: root.node && root.node.storeCapacityBytes > 0 ? root.node.storeCapacityBytes : 1
                    value: root.node ? root.node.storeUsedBytes : 0
                }
                Label {
                    objectName: "nodeStore"
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: root.node && root.node.statusAvailable
                          //: %1 used of %2 capacity, %3 the number of stored objects.
                          ? qsTr("%1 of %2 used, %3 objects").arg(root.bytesText(root.node.storeUsedBytes))
                                                            .arg(root.bytesText(root.node.storeCapacityBytes))
                                                            .arg(root.node.objectCount)
                          : qsTr("Unknown until the node answers")
                }
            }

            Label {
                Layout.topMargin: root.narrow ? 6 : 0
                visible: errorLabel.visible
                color: root.Material.secondaryTextColor
                text: qsTr("Problem")
            }
            Label {
                id: errorLabel
                objectName: "nodeError"
                Layout.fillWidth: true
                visible: root.node !== null && root.node.lastError.length > 0
                wrapMode: Text.WordWrap
                color: root.Material.color(Material.Red)
                text: root.node ? root.node.lastError : ""
            }
        }

        MenuSeparator {
            Layout.fillWidth: true
            visible: root.node !== null
        }

        Label {
            visible: root.node !== null
            text: qsTr("Use another node")
        }
        TextField {
            id: otherAddress
            objectName: "otherNodeAddress"
            Layout.fillWidth: true
            visible: root.node !== null
            placeholderText: qsTr("hive://… address of the node")
            readonly property string problem: root.node && text.trim().length > 0 ? root.node.validateAddress(text) : ""
            readonly property bool acceptable: text.trim().length > 0 && problem.length === 0
            onAccepted: if (acceptable) useButton.clicked()
        }
        Label {
            objectName: "otherNodeProblem"
            Layout.fillWidth: true
            visible: otherAddress.problem.length > 0
            wrapMode: Text.WordWrap
            color: root.Material.color(Material.Red)
            //: %1 is the technical reason the address was refused.
            text: qsTr("This is not a node address: %1").arg(otherAddress.problem)
        }
        Flow {
            Layout.fillWidth: true
            visible: root.node !== null
            spacing: 8
            Button {
                id: useButton
                objectName: "useNodeButton"
                highlighted: true
                enabled: otherAddress.acceptable
                text: qsTr("Use this node")
                onClicked: {
                    const error = root.node.useAddress(otherAddress.text)
                    root.report(error, qsTr("Hive now uses the node you entered."))
                    if (error.length === 0)
                        otherAddress.clear()
                }
            }
            Button {
                objectName: "useLocalNodeButton"
                visible: root.node !== null && !root.node.usingLocalNode
                text: qsTr("Use the node on this computer")
                onClicked: root.report(root.node.useLocalNode(), qsTr("Hive uses the node on this computer again."))
            }
        }

        Label {
            visible: root.node !== null && root.node.usingLocalNode
            text: qsTr("Port of the local node")
        }
        RowLayout {
            Layout.fillWidth: true
            visible: root.node !== null && root.node.usingLocalNode
            spacing: 8
            TextField {
                id: portField
                objectName: "localPortField"
                Layout.preferredWidth: 110
                inputMethodHints: Qt.ImhDigitsOnly
                validator: IntValidator { bottom: 1; top: 65535 }
                text: root.node ? String(root.node.localPort) : ""
                onAccepted: portButton.clicked()
            }
            Button {
                id: portButton
                objectName: "localPortButton"
                enabled: root.node !== null && portField.acceptableInput
                         && Number(portField.text) !== root.node.localPort
                text: qsTr("Change port")
                onClicked: root.report(root.node.setLocalPort(Number(portField.text)),
                                       qsTr("The local node now listens on port %1.").arg(portField.text))
            }
        }

        Label {
            objectName: "nodeMessage"
            Layout.fillWidth: true
            visible: root.message.length > 0
            wrapMode: Text.WordWrap
            color: root.failed ? root.Material.color(Material.Red) : root.Material.color(Material.Green)
            text: root.message
        }
    }
}
