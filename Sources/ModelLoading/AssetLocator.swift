import Foundation

/// Finds the bundled `Assets/` folder: `$STRATA_ASSETS`, else the first `Assets` folder walking up from the
/// executable's folder (a build tree), else `<exe>/../share/strata/Assets` (an installed copy).
public enum AssetLocator {
    /// The assets folder, if there is one.
    public static func assetsFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let fm = FileManager.default
        if let env = environment["STRATA_ASSETS"], !env.isEmpty { return URL(fileURLWithPath: env) }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let exeFolder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        var folder = exeFolder
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Assets")
            if isDirectory(candidate, fm) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let installed = exeFolder.deletingLastPathComponent().appendingPathComponent("share/strata/Assets")
        return isDirectory(installed, fm) ? installed : nil
    }

    /// The bundled model and sample the viewer opens when given no model: the digits CNN on a digit.
    public static func defaultModel() -> (model: URL, sample: URL)? {
        guard let assets = assetsFolder() else { return nil }
        let model = assets.appendingPathComponent("digits_cnn.onnx")
        let sample = assets.appendingPathComponent("samples/digit_3.png")
        let fm = FileManager.default
        guard fm.fileExists(atPath: model.path), fm.fileExists(atPath: sample.path) else { return nil }
        return (model, sample)
    }

    private static func isDirectory(_ url: URL, _ fm: FileManager) -> Bool {
        var isFolder: ObjCBool = false
        return fm.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
