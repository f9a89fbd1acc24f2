package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// proxies are the configured reverse proxies (addresses or CIDRs).
type proxies []netip.Prefix

func parseProxies(list []string) proxies {
	var ps proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			ps = append(ps, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return ps
}

func (ps proxies) contains(a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address login attempts are counted against. Fiber's
// c.IP() returns X-Forwarded-For as sent, and a proxy appends to what the
// client wrote, so the client would choose its own address by prepending
// one. Here the header is read from the right: the first address that is not
// one of our proxies is the one the outermost proxy saw. An IPv6 client
// counts by its /64, which one subscriber usually holds whole.
func (h *handler) clientAddr(c *fiber.Ctx) string {
	a, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	a = a.Unmap()
	if h.proxies.contains(a) {
		parts := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
		for i := len(parts) - 1; i >= 0; i-- {
			p, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
			if err != nil {
				break // not written by a proxy of ours: stop at the last good hop
			}
			a = p.Unmap()
			if !h.proxies.contains(a) {
				break
			}
		}
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
