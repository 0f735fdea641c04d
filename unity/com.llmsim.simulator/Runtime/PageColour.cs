#nullable enable
using Sim.Core.Host;

namespace Sim.Unity
{
    /// <summary>A page's colour in the map: free pages dark, cached pages grey, held pages a hue per owning request.</summary>
    public readonly struct PageColour
    {
        public PageColour(byte r, byte g, byte b)
        {
            R = r;
            G = g;
            B = b;
        }

        public byte R { get; }
        public byte G { get; }
        public byte B { get; }

        public static readonly PageColour Free = new PageColour(40, 40, 40);
        public static readonly PageColour Cached = new PageColour(140, 140, 140);

        public static PageColour Of(in PageView page) =>
            page.Use == PageUse.Free ? Free : page.Use == PageUse.Cached ? Cached : ForRequest(page.Owner);

        /// <summary>A saturated hue from the request id (golden-ratio steps keep neighbouring ids apart).</summary>
        public static PageColour ForRequest(long requestId)
        {
            double hue = (requestId * 0.6180339887498949) % 1.0;
            return FromHue(hue);
        }

        static PageColour FromHue(double hue)
        {
            double h = hue * 6;
            int sector = (int)h;
            double f = h - sector;
            byte up = (byte)(55 + 200 * f), down = (byte)(255 - 200 * f);
            switch (sector % 6)
            {
                case 0: return new PageColour(255, up, 55);
                case 1: return new PageColour(down, 255, 55);
                case 2: return new PageColour(55, 255, up);
                case 3: return new PageColour(55, down, 255);
                case 4: return new PageColour(up, 55, 255);
                default: return new PageColour(255, 55, down);
            }
        }
    }
}
