/// The web console: static files compiled into the controller (SwiftPM `embedInCode`), so a
/// controller binary needs nothing beside it to serve them. The console talks to the HTTP API.
public enum WebConsole {
    /// A file of the console.
    public struct Asset: Sendable {
        public let contentType: String
        public let body: [UInt8]
    }

    private static let html = "text/html; charset=utf-8"
    private static let javascript = "text/javascript; charset=utf-8"
    private static let css = "text/css; charset=utf-8"

    /// The asset for a request path: `/` and `/console/` give the page, `/console/NAME` a file.
    /// Nil for anything else (the router answers 404).
    public static func asset(forPath path: String) -> Asset? {
        switch path {
        case "/", "/console", "/console/", "/console/index.html":
            return Asset(contentType: html, body: PackageResources.index_html)
        case "/console/console.css":
            return Asset(contentType: css, body: PackageResources.console_css)
        case "/console/app.js":
            return Asset(contentType: javascript, body: PackageResources.app_js)
        case "/console/api.js":
            return Asset(contentType: javascript, body: PackageResources.api_js)
        case "/console/i18n.js":
            return Asset(contentType: javascript, body: PackageResources.i18n_js)
        case "/console/dom.js":
            return Asset(contentType: javascript, body: PackageResources.dom_js)
        case "/console/targets.js":
            return Asset(contentType: javascript, body: PackageResources.targets_js)
        case "/console/dashboard.js":
            return Asset(contentType: javascript, body: PackageResources.dashboard_js)
        case "/console/calendar.js":
            return Asset(contentType: javascript, body: PackageResources.calendar_js)
        case "/console/admin.js":
            return Asset(contentType: javascript, body: PackageResources.admin_js)
        case "/console/gateways.js":
            return Asset(contentType: javascript, body: PackageResources.gateways_js)
        case "/console/bulletins.js":
            return Asset(contentType: javascript, body: PackageResources.bulletins_js)
        case "/console/schedules.js":
            return Asset(contentType: javascript, body: PackageResources.schedules_js)
        case "/console/recurrence.js":
            return Asset(contentType: javascript, body: PackageResources.recurrence_js)
        case "/console/programs.js":
            return Asset(contentType: javascript, body: PackageResources.programs_js)
        case "/console/program-items.js":
            return Asset(contentType: javascript, body: PackageResources.program_items_js)
        case "/console/announcements.js":
            return Asset(contentType: javascript, body: PackageResources.announcements_js)
        case "/console/live.js":
            return Asset(contentType: javascript, body: PackageResources.live_js)
        case "/console/microphone.js":
            return Asset(contentType: javascript, body: PackageResources.microphone_js)
        case "/console/capture-worklet.js":
            return Asset(contentType: javascript, body: PackageResources.capture_worklet_js)
        case "/console/playlog.js":
            return Asset(contentType: javascript, body: PackageResources.playlog_js)
        case "/console/inbox.js":
            return Asset(contentType: javascript, body: PackageResources.inbox_js)
        case "/console/dispatches.js":
            return Asset(contentType: javascript, body: PackageResources.dispatches_js)
        case "/console/reports.js":
            return Asset(contentType: javascript, body: PackageResources.reports_js)
        default:
            return nil
        }
    }
}
