namespace Portcullis.Waf.Detection;

/// <summary>How dangerous an attribute is, which decides what its value is checked for.</summary>
internal enum HtmlAttributeKind
{
    Harmless,

    /// <summary>Runs script whatever its value: event handlers (on…), IE data binding.</summary>
    Script,

    /// <summary>Takes a URL: dangerous with javascript:, vbscript:, data: or view-source:.</summary>
    Url,

    /// <summary>Takes CSS, which old browsers let run script (expression(), behaviour, -moz-binding).</summary>
    Style,

    /// <summary>Declares a namespace (xmlns, xlink): dangerous when it brings in XHTML or SVG elements, whose
    /// script runs, or points at a script URL.</summary>
    Namespace,

    /// <summary>Names another attribute (SVG's attributeName): dangerous when it names a dangerous one.</summary>
    Indirect,
}
