using System.Collections.Concurrent;

namespace Portcullis.Audit.Tls;

/// <summary>
/// The probing algorithms of notes/tls.md §3.3, each a series of hand-built ClientHellos: protocol support (one hello
/// per version), suite enumeration per version the way testssl.sh does it (offer every untested suite, record the
/// pick, remove it, repeat until refused), server order (a list, then the same list reversed), groups (one per
/// connection), DHE prime size, compression, TLS_FALLBACK_SCSV, secure renegotiation and OCSP stapling.
/// </summary>
internal sealed class TlsProber
{
    private static readonly TlsVersion[] Versions = [TlsVersion.Ssl2, TlsVersion.Ssl3, TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13];

    private readonly TlsProbeClient _client;
    private readonly IProgress<string>? _progress;
    private readonly ConcurrentQueue<string> _anomalies = new();

    public TlsProber(TlsProbeClient client, IProgress<string>? progress)
    {
        _client = client;
        _progress = progress;
    }

    public async Task<TlsScan> ScanAsync(CancellationToken ct)
    {
        _progress?.Report("TLS: which protocol versions are accepted");
        var replies = await Task.WhenAll(Versions.Select(v => _client.SendAsync(Hello(v, SuitesFor(v)) with { StatusRequest = true }, readFlight: true, ct))).ConfigureAwait(false);
        var byVersion = Versions.Zip(replies).ToDictionary(p => p.First, p => p.Second);
        var protocols = Versions.Select(v => Support(v, byVersion[v])).ToList();
        var accepted = protocols.Where(p => p.Accepted == true).Select(p => p.Version).ToList();
        if (accepted.Count == 0)
        {
            var empty = new TlsProbeResult(protocols, new Dictionary<TlsVersion, IReadOnlyList<CipherSuite>>(), null, [], null, null, null, null, null);
            return new TlsScan(empty, [], false, [.. _anomalies], _client.Connections);
        }

        _progress?.Report($"TLS: enumerating cipher suites ({string.Join(", ", accepted.Select(TlsNames.Of))})");
        var enumerated = await Task.WhenAll(accepted.Where(v => v != TlsVersion.Ssl2).Select(async v => (Version: v, Suites: await EnumerateAsync(v, ct).ConfigureAwait(false)))).ConfigureAwait(false);
        var suites = enumerated.Where(e => e.Suites.Count > 0).ToDictionary(e => e.Version, e => (IReadOnlyList<CipherSuite>)e.Suites);

        var legacy = accepted.Where(v => v is >= TlsVersion.Ssl3 and <= TlsVersion.Tls12).OrderDescending().ToList();
        var bestLegacy = legacy.Count > 0 ? legacy[0] : (TlsVersion?)null;
        var bestLegacyReply = bestLegacy is { } b ? byVersion[b] : null;

        _progress?.Report("TLS: server order, groups, key sizes, compression, fallback");
        var order = ServerOrderAsync(suites, ct);
        var groups = GroupsAsync(accepted, suites, ct);
        var dhBits = DhPrimeBitsAsync(legacy, suites, ct);
        var compression = CompressionAsync(bestLegacy, suites, ct);
        var fallback = FallbackAsync(accepted, suites, ct);
        await Task.WhenAll(order, groups, dhBits, compression, fallback).ConfigureAwait(false);

        var groupList = await groups.ConfigureAwait(false);
        var ephemeral = groupList.Select(g => (int?)g.RsaEquivalentBits).Append(await dhBits.ConfigureAwait(false)).Where(bits => bits is not null).Min();
        var result = new TlsProbeResult(
            protocols,
            suites,
            await order.ConfigureAwait(false),
            groupList.Select(g => g.Name).ToList(),
            ephemeral,
            // RFC 5746 §3.6: a server that supports secure renegotiation echoes renegotiation_info. TLS 1.3 has no renegotiation (RFC 8446 §4.1.2).
            SecureRenegotiation: bestLegacyReply?.IsHello == true ? bestLegacyReply.HasExtension(0xFF01) : null,
            Compression: await compression.ConfigureAwait(false),
            FallbackScsv: await fallback.ConfigureAwait(false),
            OcspStapled: bestLegacyReply?.IsHello == true ? bestLegacyReply.OcspStapled : null);
        return new TlsScan(result, bestLegacyReply?.Certificates ?? [], true, [.. _anomalies], _client.Connections);
    }

    private ProtocolSupport Support(TlsVersion version, ServerReply reply)
    {
        if (version == TlsVersion.Ssl2)
        {
            return reply.Kind switch
            {
                ReplyKind.Ssl2ServerHello => new ProtocolSupport(version, true),
                ReplyKind.Timeout or ReplyKind.Garbage when !LooksLikeTlsRefusal(reply) => Unknown(version, reply),
                _ => new ProtocolSupport(version, false, reply.ToString()),
            };
        }
        switch (reply.Kind)
        {
            case ReplyKind.ServerHello or ReplyKind.HelloRetryRequest:
                if (reply.Version == version)
                {
                    return new ProtocolSupport(version, true);
                }
                // Answering an offer of exactly one version with another breaks RFC 8446 §4.1.3 / RFC 5246 §7.4.1.3; it is a refusal all the same.
                if (reply.Version > version)
                {
                    Anomaly($"{TlsNames.Of(version)} hello answered with {TlsNames.Of(reply.Version!.Value)}, a version the client did not offer");
                }
                return new ProtocolSupport(version, false, $"server answered with {TlsNames.Of(reply.Version!.Value)}");
            case ReplyKind.Alert or ReplyKind.Closed:
                return new ProtocolSupport(version, false, reply.ToString());
            default:
                return Unknown(version, reply);
        }
    }

    /// <summary>Some SSLv3-era servers answer an SSLv2 hello with a TLS alert record, which the reader calls Garbage only if it is not one.</summary>
    private static bool LooksLikeTlsRefusal(ServerReply reply) => reply.Kind == ReplyKind.Alert;

    private ProtocolSupport Unknown(TlsVersion version, ServerReply reply)
    {
        Anomaly($"{TlsNames.Of(version)} probe: {reply.Kind.ToString().ToLowerInvariant()}: {reply.Detail}");
        return new ProtocolSupport(version, null, reply.ToString());
    }

    /// <summary>testssl.sh's loop (run_allciphers): offer every suite not yet seen, record the server's pick, remove it, repeat.</summary>
    private async Task<List<CipherSuite>> EnumerateAsync(TlsVersion version, CancellationToken ct)
    {
        var remaining = SuitesFor(version).ToList();
        var found = new List<CipherSuite>();
        // Bounded by the table: each round removes one suite or stops.
        while (remaining.Count > 0)
        {
            var reply = await _client.SendAsync(Hello(version, remaining), readFlight: false, ct).ConfigureAwait(false);
            if (!reply.IsHello || reply.Version != version || reply.Suite is not { } picked)
            {
                if (reply.Kind is ReplyKind.Garbage or ReplyKind.Timeout)
                {
                    Anomaly($"{TlsNames.Of(version)} suite enumeration stopped: {reply.Kind.ToString().ToLowerInvariant()}: {reply.Detail}");
                }
                break;
            }
            if (!remaining.Remove(picked))
            {
                Anomaly($"{TlsNames.Of(version)}: the server picked suite 0x{picked:X4}, which was not offered (RFC 5246 §7.4.1.3)");
                break;
            }
            found.Add(CipherSuiteTable.Find(picked));
        }
        return found;
    }

    /// <summary>testssl.sh's run_server_preference: offer the accepted suites, then the same list reversed; the same pick both times means the server decides.</summary>
    private async Task<bool?> ServerOrderAsync(Dictionary<TlsVersion, IReadOnlyList<CipherSuite>> suites, CancellationToken ct)
    {
        var candidates = suites.Where(s => s.Value.Count >= 2).OrderBy(s => s.Key == TlsVersion.Tls13).ThenByDescending(s => s.Key).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        var (version, list) = (candidates[0].Key, candidates[0].Value.Select(s => s.Code).ToList());
        var forward = _client.SendAsync(Hello(version, list), readFlight: false, ct);
        var backward = _client.SendAsync(Hello(version, list.AsEnumerable().Reverse().ToList()), readFlight: false, ct);
        var (a, b) = (await forward.ConfigureAwait(false), await backward.ConfigureAwait(false));
        if (a.Suite is not { } first || b.Suite is not { } second || !a.IsHello || !b.IsHello)
        {
            return null;
        }
        return first == second;
    }

    /// <summary>One group per connection (sslyze's elliptic_curves): TLS 1.3 with that group's key share; TLS ≤ 1.2 with only ECDHE suites, the group read back from ServerKeyExchange.</summary>
    private async Task<List<NamedGroup>> GroupsAsync(IReadOnlyList<TlsVersion> accepted, Dictionary<TlsVersion, IReadOnlyList<CipherSuite>> suites, CancellationToken ct)
    {
        var probes = new List<Task<NamedGroup?>>();
        if (suites.TryGetValue(TlsVersion.Tls13, out var tls13))
        {
            var codes = tls13.Select(s => s.Code).ToList();
            probes.AddRange(NamedGroup.All.Select(async g =>
            {
                var reply = await _client.SendAsync(new ClientHello(TlsVersion.Tls13, codes, [g], _client.ServerName), readFlight: false, ct).ConfigureAwait(false);
                return reply.IsHello && reply.Version == TlsVersion.Tls13 && reply.KeyShareGroup == g.Code ? g : null;
            }));
        }
        var legacyEcdhe = accepted.Where(v => v is >= TlsVersion.Ssl3 and <= TlsVersion.Tls12).OrderDescending()
            .Select(v => (Version: v, Suites: suites.GetValueOrDefault(v)?.Where(s => s.KeyExchange is "ECDHE" or "ECDH-anon").Select(s => s.Code).ToList() ?? []))
            .FirstOrDefault(e => e.Suites.Count > 0);
        if (legacyEcdhe.Suites is { Count: > 0 })
        {
            // Finite-field groups in supported_groups do not drive TLS ≤ 1.2 DHE in most servers; the DHE prime is measured separately.
            probes.AddRange(NamedGroup.All.Where(g => !g.IsFiniteField).Select(async g =>
            {
                var reply = await _client.SendAsync(new ClientHello(legacyEcdhe.Version, legacyEcdhe.Suites, [g], _client.ServerName), readFlight: true, ct).ConfigureAwait(false);
                return reply.Kind == ReplyKind.ServerHello && reply.EcdheGroup == g.Code ? g : null;
            }));
        }
        var found = await Task.WhenAll(probes).ConfigureAwait(false);
        return NamedGroup.All.Where(g => found.Contains(g)).ToList();
    }

    /// <summary>The smallest DHE prime over the versions that accept DHE suites (Logjam: primes of 1024 bits or less).</summary>
    private async Task<int?> DhPrimeBitsAsync(IReadOnlyList<TlsVersion> legacy, Dictionary<TlsVersion, IReadOnlyList<CipherSuite>> suites, CancellationToken ct)
    {
        var probes = legacy.Select(v => (Version: v, Codes: suites.GetValueOrDefault(v)?.Where(s => s.KeyExchange is "DHE" or "DH-anon" or "DHE-EXPORT").Select(s => s.Code).ToList() ?? []))
            .Where(p => p.Codes.Count > 0)
            .Select(p => _client.SendAsync(Hello(p.Version, p.Codes), readFlight: true, ct));
        var replies = await Task.WhenAll(probes).ConfigureAwait(false);
        return replies.Select(r => r.DhPrimeBits).Where(bits => bits is not null).Min();
    }

    /// <summary>CRIME: offer DEFLATE; a server that selects it compresses secrets together with attacker-chosen data.</summary>
    private async Task<bool?> CompressionAsync(TlsVersion? version, Dictionary<TlsVersion, IReadOnlyList<CipherSuite>> suites, CancellationToken ct)
    {
        if (version is not { } v || !suites.TryGetValue(v, out var list))
        {
            return null;
        }
        var reply = await _client.SendAsync(Hello(v, list.Select(s => s.Code).ToList()) with { OfferCompression = true }, readFlight: false, ct).ConfigureAwait(false);
        return reply.Kind == ReplyKind.ServerHello ? reply.Compression != 0 : null;
    }

    /// <summary>
    /// RFC 7507 §3: a hello for a lower version than the server's best, carrying TLS_FALLBACK_SCSV, must be refused
    /// (alert inappropriate_fallback). Like sslyze, any refusal counts as protected.
    /// </summary>
    private async Task<bool?> FallbackAsync(IReadOnlyList<TlsVersion> accepted, Dictionary<TlsVersion, IReadOnlyList<CipherSuite>> suites, CancellationToken ct)
    {
        var lower = accepted.Where(v => v is >= TlsVersion.Ssl3 and <= TlsVersion.Tls12).OrderDescending()
            .FirstOrDefault(v => v < accepted.Max() && suites.ContainsKey(v));
        if (lower == default)
        {
            return null;
        }
        var reply = await _client.SendAsync(Hello(lower, suites[lower].Select(s => s.Code).ToList()) with { FallbackScsv = true }, readFlight: false, ct).ConfigureAwait(false);
        return reply.Kind switch
        {
            ReplyKind.ServerHello => false,
            ReplyKind.Alert or ReplyKind.Closed => true,
            _ => null,
        };
    }

    private ClientHello Hello(TlsVersion version, IReadOnlyList<ushort> suites) =>
        new(version, suites, ClientHello.DefaultGroups, _client.ServerName);

    private static List<ushort> SuitesFor(TlsVersion version) =>
        (version == TlsVersion.Tls13 ? CipherSuiteTable.Tls13 : CipherSuiteTable.Legacy).Select(s => s.Code).ToList();

    private void Anomaly(string text)
    {
        if (_anomalies.Count < 20)
        {
            _anomalies.Enqueue(text);
        }
    }
}
