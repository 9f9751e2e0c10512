package ivvyfake

import "slices"

// SubscriptionGroup is a subscription group of the account. Its members
// are the contacts whose Groups hold its id.
type SubscriptionGroup struct {
	ID        int64
	Name      string
	TagColour string // e.g. "#1E88E5"; "" for none
}

// AddSubscriptionGroup stores a subscription group and returns its id.
func (s *Server) AddSubscriptionGroup(g SubscriptionGroup) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	g.ID = s.st.id("subscriptionGroup", g.ID)
	s.st.groups[g.ID] = &g
	return g.ID
}

// SubscriptionGroupMembers returns the ids of the contacts in a group, in
// ascending order.
func (s *Server) SubscriptionGroupMembers(groupID int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	for _, id := range sortedIDs(s.st.contacts) {
		if slices.Contains(s.st.contacts[id].Groups, groupID) {
			out = append(out, id)
		}
	}
	return out
}

// getSubscriptionGroupList lists every group with its current member count.
func (s *Server) getSubscriptionGroupList(*call) (any, *exception) {
	counts := map[int64]int{}
	for _, ct := range s.st.contacts {
		for _, g := range ct.Groups {
			counts[g]++
		}
	}
	out := make([]record, 0, len(s.st.groups))
	for _, id := range sortedIDs(s.st.groups) {
		g := s.st.groups[id]
		out = append(out, record{"id": g.ID, "groupName": g.Name, "memberCount": counts[g.ID], "tagColour": nullable(g.TagColour)})
	}
	return out, nil
}

// addContactsToSubscriptionGroup adds contacts to a group: status true for
// each contact that is a member afterwards (adding a member again changes
// nothing), false for an unknown contact.
func (s *Server) addContactsToSubscriptionGroup(c *call) (any, *exception) {
	return s.changeGroup(c, func(ct *Contact, group int64) {
		if !slices.Contains(ct.Groups, group) {
			ct.Groups = append(ct.Groups, group)
			ct.ModifiedDate = s.clock()
		}
	})
}

// removeContactsFromSubscriptionGroup removes contacts from a group: status
// true for each known contact, a member or not (removing a contact that is
// not in the group is no error), false for an unknown contact.
func (s *Server) removeContactsFromSubscriptionGroup(c *call) (any, *exception) {
	return s.changeGroup(c, func(ct *Contact, group int64) {
		if i := slices.Index(ct.Groups, group); i >= 0 {
			ct.Groups = slices.Delete(ct.Groups, i, i+1)
			ct.ModifiedDate = s.clock()
		}
	})
}

// changeGroup applies change to each listed contact of the group and
// answers one result per contact, in the order sent.
func (s *Server) changeGroup(c *call, change func(ct *Contact, group int64)) (any, *exception) {
	group, exc := c.requiredInt("group")
	if exc != nil {
		return nil, exc
	}
	if _, ok := s.st.groups[group]; !ok {
		return nil, invalid("group", "No subscription group has this id")
	}
	ids, ok, exc := c.intList("contacts")
	if exc != nil {
		return nil, exc
	}
	if !ok || len(ids) == 0 {
		return nil, missing("contacts")
	}
	out := make([]record, 0, len(ids))
	for _, id := range ids {
		ct, known := s.st.contacts[id]
		if known {
			change(ct, group)
		}
		out = append(out, record{"contactId": id, "status": known})
	}
	return out, nil
}
