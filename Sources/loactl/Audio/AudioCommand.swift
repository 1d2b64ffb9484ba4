import ArgumentParser

/// `loactl audio …`: the audio core, for a person.
struct AudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audio",
        abstract: "Encode, decode, inspect, play and record audio as Loa does.",
        subcommands: [EncodeCommand.self, DecodeCommand.self, InfoCommand.self, PlayCommand.self, RecordCommand.self]
    )
}
