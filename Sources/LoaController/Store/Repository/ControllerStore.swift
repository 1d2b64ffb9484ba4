/// Everything the controller keeps, behind protocols free of any database library's types, so
/// that SQLite (`ControllerDatabase`) and a later PostgreSQL store are interchangeable.
public typealias ControllerStore = AreaRepository & GatewayRepository & UserRepository & BulletinRepository & RelayScheduleRepository
    & ProgramRepository & DispatchRepository
    & ScheduleRepository & AnnouncementRepository & PlayLogRepository & HealthRepository & AuditRepository & TokenRepository
    & LiveStreamRepository & ReportRepository & LinkRepository
