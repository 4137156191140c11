package dovetest

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

func TestStartSaveLogin(t *testing.T) {
	s := Start(t, map[string]string{"owner@shop.example": "secret"})
	if err := s.Save("owner@shop.example", "INBOX", []byte("From: a@b.c\r\nSubject: hi\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	greet, _ := r.ReadString('\n')
	if !strings.HasPrefix(greet, "* OK") {
		t.Fatalf("greeting: got %q, want * OK", greet)
	}
	c.Write([]byte("a LOGIN owner@shop.example secret\r\nb STATUS INBOX (MESSAGES)\r\n"))
	var got string
	for !strings.HasPrefix(got, "b ") {
		got, err = r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(got, "* STATUS") && !strings.Contains(got, "MESSAGES 1") {
			t.Errorf("status: got %q, want MESSAGES 1", got)
		}
	}
	if !strings.HasPrefix(got, "b OK") {
		t.Errorf("status reply: got %q", got)
	}
}
