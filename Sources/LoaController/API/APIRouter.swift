import Hummingbird

/// Every route of the HTTP API (docs/openapi.yaml describes the same list; a test checks both
/// agree). `/api/v1/login`, `/healthz`, `/metrics` and the console need no token.
public enum APIRouter {
    public static func make(_ services: APIServices) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        let routeMethods = RouteMethods()
        router.add(middleware: APIErrorMiddleware(metrics: services.metrics, routes: routeMethods))
        let h = APIHandlers(services: services)

        router.get("healthz") { _, _ in
            // The upstream link's word (connecting, connected, retrying) when one is configured.
            try APIResponse.json(["status": "ok"].merging(services.linkMonitor.healthWord.map { ["upstream": $0] } ?? [:]) { a, _ in a })
        }
        router.get("metrics", use: h.metrics)
        router.get("/", use: h.console)
        router.get("console", use: h.console)
        router.get("console/**", use: h.console)

        let v1 = router.group("api/v1")
        v1.post("login", use: h.login)
        // The encoder authenticates with the stream's source key (HTTP Basic) or a bearer token.
        v1.put("live/{id}/source", use: h.liveSource)
        // Listeners bring the stream's listen key, or a token in the query (an audio element sends no header).
        v1.get("live/{id}/listen", use: h.listenLiveStream)
        v1.get("areas/{id}/listen", use: h.listenArea)
        // The link to the levels below: a downstream controller authenticates with its link key.
        v1.get("link/offers", use: h.linkOffers)
        v1.get("link/audio/{sha256}", use: h.linkAudio)
        v1.post("link/acks", use: h.linkAcks)
        v1.post("link/status", use: h.linkStatus)
        v1.post("link/report", use: h.linkReport)

        let api = v1.group().add(middleware: AuthenticationMiddleware(services: services))
        api.post("logout", use: h.logout)
        api.get("me", use: h.me)

        api.get("users", use: h.listUsers)
        api.post("users", use: h.createUser)
        api.get("users/{username}", use: h.getUser)
        api.patch("users/{username}", use: h.updateUser)

        api.get("areas", use: h.listAreas)
        api.post("areas", use: h.createArea)
        api.get("areas/{id}", use: h.getArea)
        api.patch("areas/{id}", use: h.updateArea)

        api.get("fleet", use: h.fleetOverview)
        api.get("fleet/events", use: h.fleetEvents)

        api.get("gateways", use: h.listGateways)
        api.post("gateways", use: h.createGateway)
        api.get("gateways/{id}", use: h.getGateway)
        api.patch("gateways/{id}", use: h.updateGateway)
        api.post("gateways/{id}/secret", use: h.rotateSecret)
        api.post("gateways/{id}/commands", use: h.sendCommand)

        api.get("bulletins", use: h.listBulletins)
        api.post("bulletins", use: h.uploadBulletin)
        api.post("bulletins/speech", use: h.speechBulletin)
        api.post("bulletins/speech/preview", use: h.speechPreview)
        api.get("bulletins/{sha256}", use: h.getBulletin)
        api.get("bulletins/{sha256}/audio", use: h.bulletinAudio)
        api.post("bulletins/{sha256}/approve", use: h.approveBulletin)
        api.post("bulletins/{sha256}/archive", use: h.archiveBulletin)

        api.get("schedules", use: h.listSchedules)
        api.post("schedules", use: h.createSchedule)
        api.get("schedules/preview", use: h.previewSchedules)
        api.get("schedules/{id}", use: h.getSchedule)
        api.delete("schedules/{id}", use: h.deleteSchedule)

        api.get("relay-schedules", use: h.listRelaySchedules)
        api.post("relay-schedules", use: h.createRelaySchedule)
        api.get("relay-schedules/{id}", use: h.getRelaySchedule)
        api.delete("relay-schedules/{id}", use: h.deleteRelaySchedule)
        api.get("programs", use: h.listPrograms)
        api.post("programs", use: h.createProgram)
        api.get("programs/{id}", use: h.getProgram)
        api.put("programs/{id}", use: h.updateProgram)
        api.delete("programs/{id}", use: h.deleteProgram)
        api.get("dispatches", use: h.listDispatches)
        api.post("dispatches", use: h.createDispatch)
        api.get("dispatches/{id}", use: h.getDispatch)
        api.get("inbox", use: h.listInbox)
        api.get("inbox/{id}", use: h.getInboxItem)
        api.post("inbox/{id}/place", use: h.placeInboxItem)
        api.post("inbox/{id}/decline", use: h.declineInboxItem)
        api.get("reports/period", use: h.periodReport)

        api.get("announcements", use: h.listAnnouncements)
        api.post("announcements", use: h.createAnnouncement)
        api.post("announcements/{id}/stop", use: h.stopAnnouncement)

        api.get("live", use: h.listLiveStreams)
        api.post("live", use: h.createLiveStream)
        api.get("live/devices", use: h.captureDevices)
        api.get("live/{id}", use: h.getLiveStream)
        api.delete("live/{id}", use: h.stopLiveStream)
        api.post("live/{id}/segments", use: h.liveSegment)

        api.get("link", use: h.linkState)
        api.get("link/reports", use: h.linkReports)

        api.get("play-log", use: h.playLog)
        api.get("play-log/outcomes", use: h.playOutcomes)
        api.get("audit", use: h.audit)
        routeMethods.record(router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
        return router
    }
}
