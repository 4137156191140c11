package app

import "testing"

func TestMemoryReportsTheProcess(t *testing.T) {
	a, _ := newInbox(t)
	m, err := a.Memory()
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.Anon <= 0 || m.File <= 0 || m.GoTotal <= 0 || m.GoHeap <= 0 {
		t.Fatalf("memory: got %+v, want positive RSS, anon, file and Go figures", m)
	}
	if m.Anon+m.File > m.RSS+1 {
		t.Errorf("memory: anon %.1f + file %.1f MiB exceed RSS %.1f", m.Anon, m.File, m.RSS)
	}
	if m.GoHeap > m.GoTotal {
		t.Errorf("memory: Go heap %.1f MiB exceeds all Go memory %.1f", m.GoHeap, m.GoTotal)
	}
	// A big allocation shows in the Go heap.
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = 1
	}
	m2, err := a.Memory()
	if err != nil {
		t.Fatal(err)
	}
	if m2.GoHeap < m.GoHeap+60 {
		t.Errorf("memory: Go heap after 64 MiB allocated: got %.1f MiB, before %.1f", m2.GoHeap, m.GoHeap)
	}
	big[0] = big[len(big)-1]
}
