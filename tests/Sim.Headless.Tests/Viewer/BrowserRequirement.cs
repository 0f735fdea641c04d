using System;
using System.IO;
using NUnit.Framework;
using OpenQA.Selenium.Chrome;

namespace Sim.Headless.Tests.Viewer
{
    /// <summary>
    /// Headless Chromium from Debian's chromium and chromium-driver packages (nothing is downloaded at run time). A
    /// developer machine without them skips the browser tests; CI installs them, so there a missing browser fails.
    /// </summary>
    internal static class BrowserRequirement
    {
        const string Browser = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";

        public static ChromeDriver Start()
        {
            if (!File.Exists(Browser) || !File.Exists(Driver))
            {
                string message = "no headless browser: install Debian's chromium and chromium-driver";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
                Assert.Ignore(message);
            }
            var options = new ChromeOptions { BinaryLocation = Browser };
            // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000");
            ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
            service.HideCommandPromptWindow = true;
            service.SuppressInitialDiagnosticInformation = true;
            return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
    }
}
