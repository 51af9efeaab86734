using System.Text.Json.Serialization;

namespace CroweLogic.Flow.Storage;

// Generated serialization of PlatformFile: every flow command reads this file at start, and reflection over the type costs start time.
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PlatformFile))]
internal sealed partial class PlatformFileJson : JsonSerializerContext;
