package demo

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
)

// demoJPEG draws a small picture of a wheel rim with a crack, so the demo's
// attachment is a real image that opens in any viewer.
func demoJPEG() []byte {
	const w, hgt = 160, 120
	img := image.NewRGBA(image.Rect(0, 0, w, hgt))
	for y := 0; y < hgt; y++ {
		for x := 0; x < w; x++ {
			dx, dy := x-w/2, y-hgt/2
			r2 := dx*dx + dy*dy
			c := color.RGBA{R: 230, G: 236, B: 240, A: 255}
			if r2 > 40*40 && r2 < 50*50 {
				c = color.RGBA{R: 60, G: 64, B: 70, A: 255}
			}
			if x == w/2+dy/4 && dy < -38 && dy > -52 {
				c = color.RGBA{R: 220, G: 40, B: 40, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
	return buf.Bytes()
}

// wrap76 base64-encodes data in lines of 76 characters (RFC 2045 §6.8).
func wrap76(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s + "\r\n")
	return b.String()
}
