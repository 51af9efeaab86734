using System.IO.Compression;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>The one CSV inside a LEAN zip, extracted to a temporary file for the engine to read, deleted on dispose.</summary>
internal sealed class LeanCsv : IDisposable
{
    private LeanCsv(string path) => Path = path;

    /// <summary>The extracted file.</summary>
    public string Path { get; }

    /// <summary>Extracts the zip's CSV entry.</summary>
    /// <exception cref="InvalidDataException">The zip holds no CSV.</exception>
    public static LeanCsv Extract(string zip)
    {
        var csv = new LeanCsv(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flow-lean-{Guid.NewGuid():N}.csv"));
        using var archive = ZipFile.OpenRead(zip);
        var entry = archive.Entries.SingleOrDefault(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"{zip} holds no CSV entry");
        entry.ExtractToFile(csv.Path);
        return csv;
    }

    /// <inheritdoc />
    public void Dispose() => File.Delete(Path);
}
