package ivvyfake

import (
	"cmp"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// documentedListCap is the perPage cap the registration list documents.
const documentedListCap = 100

// eventNotFound is the exception for an unknown event; code 0 means the
// call documents no specific code.
func eventNotFound(code int) *exception {
	return badRequest(code, "Unable to find event")
}

// inviteContacts invites each listed contact to the event. Unknown contacts
// get status false; an invited contact keeps any earlier response.
func (s *Server) inviteContacts(c *call) (any, *exception) {
	eventID, exc := c.requiredInt("event")
	if exc != nil {
		return nil, exc
	}
	contacts, ok, exc := c.intList("contacts")
	if exc != nil {
		return nil, exc
	}
	if !ok {
		return nil, missing("contacts")
	}
	e := s.st.events[eventID]
	if e == nil {
		return nil, eventNotFound(0)
	}
	now := s.clock()
	out := ivvy.InviteContactsResult{Results: make([]ivvy.ContactInvitation, 0, len(contacts))}
	for _, id := range contacts {
		res := ivvy.ContactInvitation{Contact: ivvy.Int(id)}
		if s.st.contacts[id] != nil {
			key := invKey{eventID, id}
			inv := s.st.invitations[key]
			if inv == nil {
				inv = &Invitation{EventID: eventID, ContactID: id, Response: ResponseUndecided, CreatedDate: now}
				s.st.invitations[key] = inv
			}
			inv.ModifiedDate = now
			yes, no := inviteLinks(c.base, e, id)
			res.Status, res.InviteLinkYes, res.InviteLinkNo = true, yes, no
		}
		out.Results = append(out.Results, res)
	}
	return out, nil
}

// getInvitedContactList lists the contacts invited to an event.
func (s *Server) getInvitedContactList(c *call) (any, *exception) {
	eventID, f, exc := s.eventListArgs(c, "eventId", 0)
	if exc != nil {
		return nil, exc
	}
	var invs []*Invitation
	for _, inv := range s.st.invitations {
		if inv.EventID == eventID {
			invs = append(invs, inv)
		}
	}
	slices.SortFunc(invs, func(a, b *Invitation) int { return cmp.Compare(a.ContactID, b.ContactID) })
	return s.lazyCollection(c, len(invs), func(i int) record {
		inv := invs[i]
		ct := s.st.contacts[inv.ContactID]
		return record{
			"eventId":        inv.EventID,
			"contactId":      inv.ContactID,
			"firstName":      ct.FirstName,
			"lastName":       ct.LastName,
			"email":          ct.Email,
			"phone":          ct.Phone,
			"response":       inv.Response,
			"registrationId": nullableID(inv.RegistrationID),
			"modifiedDate":   ts(inv.ModifiedDate),
		}
	}, f)
}

// websiteURL is the event website the fake pretends to host.
func websiteURL(base string, e *Event) string {
	return strings.TrimRight(base, "/") + "/event/" + url.PathEscape(e.Code) + "/"
}

// eventRecord renders an event as getEventList does.
func (s *Server) eventRecord(base string, e *Event) record {
	tags := make([]record, 0, len(e.Tags))
	for i, t := range e.Tags {
		tags = append(tags, record{"id": int64(i + 1), "name": t})
	}
	return record{
		"id":                            e.ID,
		"code":                          e.Code,
		"eventType":                     e.EventType,
		"title":                         e.Title,
		"timezone":                      e.Timezone,
		"capacity":                      e.Capacity,
		"domainName":                    nil,
		"startDateTime":                 ts(e.StartDateTime),
		"endDateTime":                   ts(e.EndDateTime),
		"numRegistered":                 s.st.numRegistered(e.ID),
		"currentStatus":                 e.CurrentStatus,
		"contactName":                   e.ContactName,
		"contactEmail":                  e.ContactEmail,
		"websiteUrl":                    websiteURL(base, e),
		"websiteTemplateBannerImageUrl": "",
		"eventTags":                     tags,
		"modifiedDate":                  ts(e.ModifiedDate),
	}
}

// getEventList lists events, with the filters afterDate (start at or after),
// beforeDate (end at or before) and status (an array of currentStatus
// codes) besides the generic ones.
func (s *Server) getEventList(c *call) (any, *exception) {
	f, exc := c.filter()
	if exc != nil {
		return nil, exc
	}
	after, hasAfter, exc := takeTime(f, "afterDate")
	if exc != nil {
		return nil, exc
	}
	before, hasBefore, exc := takeTime(f, "beforeDate")
	if exc != nil {
		return nil, exc
	}
	var statuses []string
	if v, ok := f["status"]; ok {
		delete(f, "status")
		elems, isArray := slice(v)
		if !isArray {
			return nil, invalid("filter.status", "Value must be an array")
		}
		for _, e := range elems {
			statuses = append(statuses, text(e))
		}
	}
	flags := map[string]bool{}
	for _, name := range []string{"includeVenueDetails", "includeTicketDetails", "includeInformationDetails", "includeHomepageContent"} {
		b, _, exc := c.boolParam(name)
		if exc != nil {
			return nil, exc
		}
		flags[name] = b
	}
	orderBy, _, exc := c.stringParam("orderBy")
	if exc != nil {
		return nil, exc
	}
	orderDir, _, exc := c.stringParam("orderDir")
	if exc != nil {
		return nil, exc
	}
	var events []*Event
	for _, id := range sortedIDs(s.st.events) {
		e := s.st.events[id]
		if hasAfter && e.StartDateTime.Before(after) {
			continue
		}
		if hasBefore && e.EndDateTime.After(before) {
			continue
		}
		if statuses != nil && !slices.Contains(statuses, fmt.Sprint(e.CurrentStatus)) {
			continue
		}
		events = append(events, e)
	}
	if orderBy == "startDate" {
		slices.SortStableFunc(events, func(a, b *Event) int { return a.StartDateTime.Compare(b.StartDateTime) })
	}
	if strings.EqualFold(orderDir, "desc") {
		slices.Reverse(events)
	}
	items := make([]record, 0, len(events))
	for _, e := range events {
		r := s.eventRecord(c.base, e)
		if flags["includeVenueDetails"] {
			r["venue"] = nil
		}
		if flags["includeTicketDetails"] {
			r["tickets"] = []record{}
		}
		if flags["includeInformationDetails"] {
			r["information"] = []record{}
		}
		if flags["includeHomepageContent"] {
			r["homepageContent"] = ""
		}
		items = append(items, r)
	}
	return s.collection(c, items, f)
}

// getEvent returns one event (24097 when unknown).
func (s *Server) getEvent(c *call) (any, *exception) {
	id, exc := c.requiredInt("id")
	if exc != nil {
		return nil, exc
	}
	e := s.st.events[id]
	if e == nil {
		return nil, eventNotFound(codeEventUnknown)
	}
	r := s.eventRecord(c.base, e)
	hasSpeakers, hasSponsors, hasSessions := false, false, false
	for _, x := range s.st.speakers {
		hasSpeakers = hasSpeakers || x.EventID == id
	}
	for _, x := range s.st.sponsors {
		hasSponsors = hasSponsors || x.EventID == id
	}
	for _, x := range s.st.sessions {
		hasSessions = hasSessions || x.EventID == id
	}
	for k, v := range map[string]any{
		"appTitle":            nil,
		"twitter":             nil,
		"appBanner":           0,
		"map":                 nil,
		"includeSpeakers":     hasSpeakers,
		"displaySpeakers":     hasSpeakers,
		"includeSponsors":     hasSponsors,
		"displaySponsors":     hasSponsors,
		"includeBooths":       false,
		"displayExhibitors":   false,
		"includeAbstracts":    false,
		"displayAbstracts":    false,
		"useMultipleSessions": hasSessions,
		"includeHotels":       false,
		"includeTravel":       false,
		"includeMembership":   false,
	} {
		r[k] = v
	}
	return r, nil
}

// addOrUpdateEvent adds an event (no id) or updates one.
func (s *Server) addOrUpdateEvent(c *call) (any, *exception) {
	id, hasID, exc := c.int64Param("id")
	if exc != nil {
		return nil, exc
	}
	var e Event
	if hasID {
		cur := s.st.events[id]
		if cur == nil {
			return record{"success": false, "id": nil, "code": nil, "message": "Unable to find event"}, nil
		}
		e = *cur
		e.Tags = slices.Clone(cur.Tags)
	} else {
		for _, name := range []string{"eventType", "title", "timezone", "startDateTime", "endDateTime"} {
			if !c.has(name) {
				return nil, missing(name)
			}
		}
	}
	if et, ok, exc := c.int64Param("eventType"); exc != nil {
		return nil, exc
	} else if ok {
		if et != 12 || (hasID && int64(e.EventType) != et) {
			return nil, invalid("eventType", "Value must be 12 and cannot be changed")
		}
		e.EventType = int(et)
	}
	if code, ok, exc := c.stringParam("code"); exc != nil {
		return nil, exc
	} else if ok {
		if utf8.RuneCountInString(code) > 12 || (hasID && code != e.Code) {
			return nil, invalid("code", "Value must be at most 12 characters and cannot be changed")
		}
		e.Code = code
	}
	if title, ok, exc := c.stringParam("title"); exc != nil {
		return nil, exc
	} else if ok {
		if title == "" || utf8.RuneCountInString(title) > 140 {
			return nil, invalid("title", "Value must be 1 to 140 characters")
		}
		e.Title = title
	}
	if tz, ok, exc := c.stringParam("timezone"); exc != nil {
		return nil, exc
	} else if ok {
		if _, err := time.LoadLocation(tz); err != nil || tz == "" {
			return nil, invalid("timezone", "Value must be a timezone from the timezone list")
		}
		e.Timezone = tz
	}
	for name, dst := range map[string]*time.Time{"startDateTime": &e.StartDateTime, "endDateTime": &e.EndDateTime} {
		t, ok, exc := c.timeParam(name)
		if exc != nil {
			return nil, exc
		}
		if ok {
			*dst = t
		}
	}
	if e.EndDateTime.Before(e.StartDateTime) {
		return nil, invalid("endDateTime", "Value must not be before startDateTime")
	}
	if capacity, ok, exc := c.int64Param("capacity"); exc != nil {
		return nil, exc
	} else if ok {
		if capacity < 0 {
			return nil, invalid("capacity", "Value must be 0 or greater")
		}
		e.Capacity = int(capacity)
	}
	if budget, ok, exc := c.floatParam("budget"); exc != nil {
		return nil, exc
	} else if ok {
		e.Budget = budget
	}
	if v, ok, exc := c.int64Param("costCenterId"); exc != nil {
		return nil, exc
	} else if ok {
		e.CostCenterID = v
	}
	if v, ok, exc := c.int64Param("primaryContactUserId"); exc != nil {
		return nil, exc
	} else if ok {
		e.ContactUserID = v
	}
	now := s.clock()
	e.ModifiedDate = now
	if !hasID {
		e.ID = s.st.id("event", 0)
		if e.Code == "" {
			e.Code = fmt.Sprintf("EV%06d", e.ID)
		}
		e.CreatedDate = now
	}
	s.st.events[e.ID] = &e
	return record{"success": true, "id": e.ID, "code": e.Code}, nil
}

// privacyConsent renders the privacy consent of a record created at t.
func privacyConsent(t time.Time) record {
	return record{"source": 5, "dateTime": ts(t)}
}

// registrationRecord renders a registration.
func (s *Server) registrationRecord(r *Registration) record {
	eventName := ""
	if e := s.st.events[r.EventID]; e != nil {
		eventName = e.Title
	}
	return record{
		"id":                 r.ID,
		"eventId":            r.EventID,
		"eventName":          eventName,
		"currentStatus":      r.CurrentStatus,
		"isExhibitor":        r.IsExhibitor,
		"completedDate":      ts(r.CompletedDate),
		"mainContactId":      nullableID(r.MainContactID),
		"firstName":          r.FirstName,
		"lastName":           r.LastName,
		"phone":              r.Phone,
		"privacyConsentData": privacyConsent(r.CreatedDate),
		"invoiceTotalCost":   r.InvoiceTotalCost,
		"invoiceTotalPaid":   r.InvoiceTotalPaid,
		"createdDate":        ts(r.CreatedDate),
		"modifiedDate":       ts(r.ModifiedDate),
	}
}

// eventItemArgs reads the id and eventId of a call for one item of an
// event (a registration, an attendee): the event must exist (else
// eventCode) and the id be positive (else invalidCode with message).
func (s *Server) eventItemArgs(c *call, eventCode, invalidCode int, message string) (id, eventID int64, exc *exception) {
	if id, exc = c.requiredInt("id"); exc != nil {
		return 0, 0, exc
	}
	if eventID, exc = c.requiredInt("eventId"); exc != nil {
		return 0, 0, exc
	}
	if s.st.events[eventID] == nil {
		return 0, 0, eventNotFound(eventCode)
	}
	if id <= 0 {
		return 0, 0, badRequest(invalidCode, message)
	}
	return id, eventID, nil
}

// getRegistration returns one registration of an event.
func (s *Server) getRegistration(c *call) (any, *exception) {
	id, eventID, exc := s.eventItemArgs(c, codeRegEvent, codeRegInvalid, "Invalid Registration Id")
	if exc != nil {
		return nil, exc
	}
	r := s.st.registrations[id]
	if r == nil || r.EventID != eventID {
		return nil, badRequest(codeRegUnknown, "Registration not found")
	}
	rec := s.registrationRecord(r)
	delete(rec, "eventName")
	return rec, nil
}

// getRegistrationList lists an event's registrations.
func (s *Server) getRegistrationList(c *call) (any, *exception) {
	eventID, f, exc := s.eventListArgs(c, "eventId", codeRegListEvent)
	if exc != nil {
		return nil, exc
	}
	c.pageCap = documentedListCap
	var items []record
	for _, id := range sortedIDs(s.st.registrations) {
		if r := s.st.registrations[id]; r.EventID == eventID {
			items = append(items, s.registrationRecord(r))
		}
	}
	return s.collection(c, items, f)
}

// attendeeRecord renders an attendee.
func (s *Server) attendeeRecord(base string, a *Attendee) record {
	regStatus := 0
	if r := s.st.registrations[a.RegistrationID]; r != nil {
		regStatus = r.CurrentStatus
	}
	code := ""
	if e := s.st.events[a.EventID]; e != nil {
		code = e.Code
	}
	barcode := fmt.Sprintf("%08d", a.ID)
	sessions := make([]record, 0, len(a.SessionIDs))
	for _, sid := range a.SessionIDs {
		name, optional := "", false
		if x := s.st.sessions[sid]; x != nil {
			name, optional = x.Name, x.IsOptional
		}
		sessions = append(sessions, record{
			"sessionId":         sid,
			"sessionName":       name,
			"isOptional":        optional,
			"hasAttended":       a.HasAttended,
			"attendedDatetime":  ts(a.AttendedDate),
			"isSessionReserved": true,
		})
	}
	root := strings.TrimRight(base, "/") + "/event/" + url.PathEscape(code)
	return record{
		"id":                       a.ID,
		"eventId":                  a.EventID,
		"registrationStatus":       regStatus,
		"contactId":                a.ContactID,
		"registrationId":           a.RegistrationID,
		"ticketTitle":              a.TicketTitle,
		"firstName":                a.FirstName,
		"lastName":                 a.LastName,
		"email":                    a.Email,
		"phone":                    a.Phone,
		"privacyConsentData":       privacyConsent(a.CreatedDate),
		"hasAttended":              a.HasAttended,
		"sessionHasAttended":       a.HasAttended && len(a.SessionIDs) > 0,
		"isPublic":                 a.IsPublic,
		"barcode":                  barcode,
		"barcodeUrl":               root + "/barcode/" + barcode + ".png",
		"ticketUrl":                root + "/ticket/" + barcode,
		"attendedDatetime":         ts(a.AttendedDate),
		"sessionAttendedTimestamp": ts(a.AttendedDate),
		"cost":                     a.Cost,
		"customFields":             []record{},
		"sessions":                 sessions,
		"createdDate":              ts(a.CreatedDate),
		"modifiedDate":             ts(a.ModifiedDate),
	}
}

// getAttendee returns one attendee of an event.
func (s *Server) getAttendee(c *call) (any, *exception) {
	id, eventID, exc := s.eventItemArgs(c, codeAttEvent, codeAttInvalid, "Invalid Attendee Id")
	if exc != nil {
		return nil, exc
	}
	a := s.st.attendees[id]
	if a == nil || a.EventID != eventID {
		return nil, badRequest(codeAttUnknown, "Attendee not found")
	}
	rec := s.attendeeRecord(c.base, a)
	delete(rec, "createdDate")
	delete(rec, "modifiedDate")
	return rec, nil
}

// getAttendeeList lists an event's attendees.
func (s *Server) getAttendeeList(c *call) (any, *exception) {
	eventID, f, exc := s.eventListArgs(c, "eventId", codeAttListEvent)
	if exc != nil {
		return nil, exc
	}
	// No documented cap here (unlike getRegistrationList): the server's applies.
	var items []record
	for _, id := range sortedIDs(s.st.attendees) {
		if a := s.st.attendees[id]; a.EventID == eventID {
			rec := s.attendeeRecord(c.base, a)
			delete(rec, "registrationId")
			items = append(items, rec)
		}
	}
	return s.collection(c, items, f)
}

// eventListArgs reads what every list of an event's things takes: the
// event's id from the parameter named param and the filter. An unknown
// event is the exception eventNotFound(code).
func (s *Server) eventListArgs(c *call, param string, code int) (int64, map[string]any, *exception) {
	eventID, exc := c.requiredInt(param)
	if exc != nil {
		return 0, nil, exc
	}
	f, exc := c.filter()
	if exc != nil {
		return 0, nil, exc
	}
	if s.st.events[eventID] == nil {
		return 0, nil, eventNotFound(code)
	}
	return eventID, f, nil
}

// getSponsorshipList lists an event's sponsors, numbers as strings.
func (s *Server) getSponsorshipList(c *call) (any, *exception) {
	eventID, f, exc := s.eventListArgs(c, "event", codeSponsorEvent)
	if exc != nil {
		return nil, exc
	}
	var items []record
	for _, id := range sortedIDs(s.st.sponsors) {
		x := s.st.sponsors[id]
		if x.EventID != eventID {
			continue
		}
		items = append(items, record{
			"id":                    fmt.Sprint(x.ID),
			"name":                  x.Name,
			"description":           x.Description,
			"websiteAddress":        x.WebsiteAddress,
			"logoImageUrl":          x.LogoImageURL,
			"level":                 fmt.Sprint(x.Level),
			"customLevelId":         nil,
			"sponsorshipAmount":     numString(x.Amount),
			"sponsorshipAmountPaid": numString(x.AmountPaid),
		})
	}
	if len(items) == 0 {
		return nil, badRequest(codeNoSponsors, "Event does not have sponsors")
	}
	return s.collection(c, items, f)
}

// getSpeakerList lists an event's speakers, ids as strings.
func (s *Server) getSpeakerList(c *call) (any, *exception) {
	eventID, f, exc := s.eventListArgs(c, "event", codeSpeakerEvent)
	if exc != nil {
		return nil, exc
	}
	var items []record
	for _, id := range sortedIDs(s.st.speakers) {
		x := s.st.speakers[id]
		if x.EventID != eventID {
			continue
		}
		items = append(items, record{
			"id":                 fmt.Sprint(x.ID),
			"fullName":           x.FullName,
			"organisation":       x.Organisation,
			"position":           x.Position,
			"profileDescription": x.ProfileDescription,
			"profileImageUrl":    x.ProfileImageURL,
		})
	}
	if len(items) == 0 {
		return nil, badRequest(codeNoSpeakers, "Event does not have speakers")
	}
	return s.collection(c, items, f)
}

// getSessionList lists an event's agenda sessions.
func (s *Server) getSessionList(c *call) (any, *exception) {
	eventID, exc := c.requiredInt("eventId")
	if exc != nil {
		return nil, exc
	}
	f, exc := c.filter()
	if exc != nil {
		return nil, exc
	}
	if s.st.events[eventID] == nil {
		return nil, badRequest(codeSessionEvent, "Event does not exist")
	}
	var items []record
	for _, id := range sortedIDs(s.st.sessions) {
		x := s.st.sessions[id]
		if x.EventID != eventID {
			continue
		}
		items = append(items, record{
			"id":                    x.ID,
			"eventId":               x.EventID,
			"name":                  x.Name,
			"startDate":             ts(x.StartDate),
			"endDate":               ts(x.EndDate),
			"description":           nullable(x.Description),
			"roomId":                nullableID(x.RoomID),
			"isOptional":            x.IsOptional,
			"maxCapacity":           x.MaxCapacity,
			"costAmount":            x.CostAmount,
			"isTaxFree":             x.CostAmount == 0,
			"autoCloseDate":         ts(x.StartDate.Add(-24 * time.Hour)),
			"setupTime":             0,
			"breakdownTime":         0,
			"speakers":              append([]int64{}, x.SpeakerIDs...),
			"showInAgenda":          true,
			"showTime":              true,
			"onlyForCertainTickets": false,
			"tickets":               []int64{},
			"notes":                 "",
			"setupNotes":            "",
			"createdDate":           ts(x.CreatedDate),
			"modifiedDate":          ts(x.ModifiedDate),
			"allowGuests":           false,
		})
	}
	return s.collection(c, items, f)
}

// createLoginToken issues a single-use login link for a contact.
func (s *Server) createLoginToken(c *call) (any, *exception) {
	eventID, exc := c.requiredInt("event")
	if exc != nil {
		return nil, exc
	}
	contactID, exc := c.requiredInt("contact")
	if exc != nil {
		return nil, exc
	}
	if _, _, exc := c.stringParam("referrer"); exc != nil {
		return nil, exc
	}
	e := s.st.events[eventID]
	if e == nil {
		return nil, eventNotFound(codeTokenEvent)
	}
	if s.st.contacts[contactID] == nil {
		return nil, badRequest(codeTokenFailed, "Unable to generate token")
	}
	s.st.tokens++
	sum := md5.Sum(fmt.Appendf(nil, "token:%d:%d:%d", eventID, contactID, s.st.tokens))
	token := hex.EncodeToString(sum[:])
	login := fmt.Sprintf("%s/event/%s/registration/login/token?t=%s&contact=%d", strings.TrimRight(c.base, "/"), url.PathEscape(e.Code), token, contactID)
	return record{"token": token, "loginUrl": login}, nil
}
