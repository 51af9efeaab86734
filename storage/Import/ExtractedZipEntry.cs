using System.IO.Compression;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// The one data file inside a vendor's zip (a LEAN CSV, a Bybit .data), extracted to a temporary file for the engine to
/// read (its build has no zip support), deleted on dispose.
/// </summary>
internal sealed class ExtractedZipEntry : IDisposable
{
    private ExtractedZipEntry(string path) => Path = path;

    /// <summary>The extracted file.</summary>
    public string Path { get; }

    /// <summary>Extracts the zip's entry whose name ends with <paramref name="extension"/>.</summary>
    /// <exception cref="InvalidDataException">The zip holds no such entry, or several.</exception>
    public static ExtractedZipEntry Extract(string zip, string extension = ".csv")
    {
        using var archive = ZipFile.OpenRead(zip);
        var entries = archive.Entries.Where(e => e.Name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)).ToList();
        if (entries.Count != 1) throw new InvalidDataException($"{zip} holds {(entries.Count == 0 ? "no" : entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} {extension} entr{(entries.Count == 1 ? "y" : "ies")}; flow reads a zip of one");
        var extracted = new ExtractedZipEntry(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flow-zip-{Guid.NewGuid():N}{extension}"));
        entries[0].ExtractToFile(extracted.Path);
        return extracted;
    }

    /// <inheritdoc />
    public void Dispose() => File.Delete(Path);
}
