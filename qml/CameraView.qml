// The live camera for the Scan page (loaded only when a camera exists). Frames go from the
// VideoOutput's sink to the C++ QrScanner, which decodes them off the GUI thread.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtMultimedia

Rectangle {
    id: root

    // Set by the Scan page once loaded.
    property QtObject scanner: null
    // Why the camera does not run ("" while it does).
    readonly property string problem: camera.error !== Camera.NoError ? camera.errorString : ""

    color: "#000000"
    radius: 8
    clip: true

    CaptureSession {
        camera: Camera {
            id: camera
            active: root.visible
        }
        videoOutput: output
    }

    VideoOutput {
        id: output
        anchors.fill: parent
        fillMode: VideoOutput.PreserveAspectCrop
    }

    onScannerChanged: if (scanner) scanner.videoSink = output.videoSink
    Component.onDestruction: if (scanner) scanner.videoSink = null

    // A frame to aim with.
    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width, parent.height) * 0.7
        height: width
        color: "transparent"
        border.color: "#ffffff"
        border.width: 2
        radius: 12
        opacity: 0.8
    }
}
