namespace Portcullis.Audit.Tls;

/// <summary>Alert descriptions (RFC 8446 §6, RFC 5246 §7.2, RFC 7507 §2) in words for findings.</summary>
internal static class AlertNames
{
    public static string Describe(byte description) => description switch
    {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        40 => "handshake_failure",
        42 => "bad_certificate",
        47 => "illegal_parameter",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        120 => "no_application_protocol",
        _ => "alert " + description.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
