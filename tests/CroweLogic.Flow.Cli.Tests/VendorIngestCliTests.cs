using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow ingest</c> of a folder of vendor files as downloaded: what loads is loaded, what does not is named.</summary>
public class VendorIngestCliTests
{
    [Fact]
    public async Task The_crypto_samples_folder_loads_but_the_one_file_without_a_symbol_which_then_loads_with_symbol()
    {
        using var flow = new FlowProcess();
        var samples = Path.Combine(SharedPaths.Data, "crypto-samples");
        var folder = await flow.RunAsync("ingest", samples, "--asset-class", "crypto", "--register-instruments");
        Assert.True(folder.Exit == 1, $"exit {folder.Exit}: {folder.Err}");
        Assert.Contains("flow: not imported: " + Path.Combine(samples, "btc-perp-20211231-20220201_1m.csv"), folder.Err);
        Assert.Contains("(a file of one instrument without a symbol column: pass --symbol)", folder.Err);
        Assert.Contains("flow: 1 file was not imported; the others were", folder.Err);
        // Every other sample is in: Tardis, Binance, TrueFX and Bybit, each under SYMBOL.VENUE.
        Assert.Equal("BTC-PERPETUAL.DERIBIT\nBTCUSDT.BINANCE\nBTCUSDT.BINANCE-FUTURES\nUSDJPY.TRUEFX\nXBTUSD.BITMEX\nXRPUSDT.BYBIT\n",
            (await flow.RunAsync("sql", "SELECT DISTINCT symbol FROM (SELECT symbol FROM trades UNION ALL SELECT symbol FROM quotes UNION ALL SELECT symbol FROM book_deltas) ORDER BY 1", "--format", "tsv")).Out);

        var bars = await flow.RunAsync("ingest", Path.Combine(samples, "btc-perp-20211231-20220201_1m.csv"), "--symbol", "BTC-PERP.FTX", "--asset-class", "crypto", "--register-instruments");
        Assert.True(bars.Exit == 0, bars.Err);
        Assert.Contains("registered 1 instrument from btc-perp-20211231-20220201_1m.csv with crypto defaults: BTC-PERP.FTX", bars.Err);
        Assert.Equal("45031\t24/7\n", (await flow.RunAsync("sql", "SELECT count(), any(calendar) FROM bars_1m JOIN instruments USING symbol", "--format", "tsv")).Out);
    }
}
