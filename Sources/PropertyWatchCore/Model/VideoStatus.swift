/// What the video system says about itself: Frigate's `frigate/available` (the process is
/// up or down) or the per-camera part of `frigate/stats` (whether a camera receives frames).
public enum VideoStatus: Sendable, Hashable {
    /// `frigate/available`: `online` or `offline` (Frigate's retained status and last will).
    case frigate(online: Bool)
    /// `frigate/stats`: the mapped cameras and whether each receives frames (`camera_fps` > 0).
    case cameras([CameraFeed])

    /// One mapped camera in a stats report.
    public struct CameraFeed: Sendable, Hashable {
        public var site: SiteID
        public var camera: DeviceID
        /// Frigate's `camera_fps`: frames per second the camera delivers; 0 when its stream is dead.
        public var framesPerSecond: Double

        public init(site: SiteID, camera: DeviceID, framesPerSecond: Double) {
            self.site = site
            self.camera = camera
            self.framesPerSecond = framesPerSecond
        }
    }
}
