package telegram

import (
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/channeltest"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
)

const testToken = "123456789:AAHfakeTOKENforTESTSonly_abcdefghij"

var customer = fakebot.User{ID: 4242, FirstName: "Ana", LastName: "Lima", Username: "analima"}

func TestConformance(t *testing.T) {
	srv := fakebot.New(testToken)
	defer srv.Close()
	acct := inbox.Account{ID: "acc_conformance", Channel: inbox.ChannelTelegram, Name: "Shop bot"}
	channeltest.Run(t, channeltest.Harness{
		Account: acct,
		New: func(t *testing.T) channels.Connector {
			return New(Options{Token: testToken, AccountID: acct.ID, BaseURL: srv.URL})
		},
		Deliver: func(t *testing.T, text string, file *inbox.Attachment) {
			m := fakebot.Msg{From: customer, Text: text}
			if file != nil {
				m.Text, m.Caption = "", text
				m.Document = srv.AddFile(file.Name, file.ContentType, file.Data)
			}
			srv.Send(m)
		},
		Sent: func(t *testing.T) []channeltest.SentMessage {
			var out []channeltest.SentMessage
			for _, s := range srv.Sent() {
				m := channeltest.SentMessage{Text: s.Text}
				if s.Method != "sendMessage" {
					m.Text = s.Caption
					m.Files = []inbox.Attachment{{Name: s.FileName, Data: s.FileData}}
				}
				out = append(out, m)
			}
			return out
		},
		FailNextReceive:  func(t *testing.T) { srv.Drop("getUpdates") },
		BreakCredentials: func(t *testing.T) { srv.SetToken("987654321:AAnewTOKENafterREVOKE") },
	})
}
